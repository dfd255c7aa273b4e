import file from './model/abuse-model.json'
import { type LoadedModel, type ModelFile, loadModel } from './screening.model.js'

let loaded: LoadedModel | null = null

/** The model `npm run train:screening` wrote, decoded on first use (about a millisecond) and kept. */
export function shippedModel(): LoadedModel {
  loaded ??= loadModel(file as ModelFile)
  return loaded
}

export const shippedModelInfo = { trainedOn: file.trainedOn, calibration: file.calibration }
