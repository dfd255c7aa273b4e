import file from './model/abuse-model.json'
import { type LoadedModel, type ModelFile, loadModel, modelVersion } from './screening.model.js'

let loaded: LoadedModel | null = null

/** The model `npm run train:screening` wrote, decoded on first use (about a millisecond) and kept. */
export function shippedModel(): LoadedModel {
  loaded ??= loadModel(file as ModelFile)
  return loaded
}

/** `version` is what a site model records as the shipped model it was stacked on. */
export const shippedModelInfo = {
  version: (file as ModelFile).version ?? modelVersion(file as ModelFile),
  trainedOn: file.trainedOn,
  calibration: file.calibration,
}
