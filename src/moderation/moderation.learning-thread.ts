// The training itself, in a worker thread: the Node server keeps answering while a site model trains
// (seconds to tens of seconds of CPU). The thread gets the examples and the active version, and sends
// back what learnSiteModel decided; reading and storing stay with the main thread.
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads'
import { shippedModel } from '../screening/screening.shipped-model.js'
import { type LearnInput, type LearnResult, learnSiteModel } from '../screening/screening.site-learn.js'

/** The shipped model's version travels with the input: the thread loads the model from the sources itself. */
type ThreadInput = Omit<LearnInput, 'shipped'> & { shippedVersion: string }

/** Trains in a worker thread (loaded through tsx, as the server is); the shipped model is loaded there. */
export function learnInThread(input: LearnInput): Promise<LearnResult> {
  const { shipped, ...rest } = input
  return new Promise((resolve, reject) => {
    // The thread registers tsx itself, then loads this file: the project runs its TypeScript through tsx.
    const boot = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(import.meta.url)}) })`
    const worker = new Worker(boot, { eval: true, workerData: { ...rest, shippedVersion: shipped.version } satisfies ThreadInput })
    worker.once('message', (result: LearnResult) => resolve(result))
    worker.once('error', reject)
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`the training thread stopped with code ${code}`))
    })
  })
}

if (!isMainThread && parentPort && (workerData as { examples?: unknown } | null)?.examples) {
  const { shippedVersion, ...input } = workerData as ThreadInput
  // Sources updated under a running server (a pull without a restart): a version stacked on the files'
  // model would be refused by the server that stores it. Failing says so, and the admin sees it.
  if (shippedModel().version !== shippedVersion)
    throw new Error(
      `the shipped model on disk (${shippedModel().version}) is not the running server's (${shippedVersion}): restart the server`,
    )
  parentPort.postMessage(learnSiteModel({ ...input, shipped: shippedModel() }))
}
