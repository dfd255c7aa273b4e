// The two small fits on top of the site model's cross-validated scores: the stacking weights that
// combine it with the shipped model, and the hold threshold that publishes the site's target share of
// its approved comments.
import type { SiteLanguageModel } from './screening.site-model.js'

/** Logistic regression on [shipped logit, site logit] by damped Newton steps, classes balanced, slightly shrunk. */
export function fitStack(
  shipped: readonly number[],
  site: readonly number[],
  abusive: readonly boolean[],
  weights: readonly number[],
): SiteLanguageModel['stack'] {
  let positive = 0
  let negative = 0
  for (const [i, y] of abusive.entries()) {
    if (y) positive += weights[i]!
    else negative += weights[i]!
  }
  const w = weights.map((wi, i) => (abusive[i] ? 0.5 / positive : 0.5 / negative) * wi)
  const ridge = 1e-3
  const x = (i: number) => [shipped[i]!, site[i]!, 1]
  const loss = (beta: number[]) => {
    let sum = (ridge / 2) * (beta[0]! ** 2 + beta[1]! ** 2)
    for (let i = 0; i < w.length; i++) {
      const z = beta[0]! * shipped[i]! + beta[1]! * site[i]! + beta[2]!
      // log(1 + e^−z) for abuse, log(1 + e^z) for clean, without overflow.
      const m = abusive[i] ? -z : z
      sum += w[i]! * (Math.max(m, 0) + Math.log1p(Math.exp(-Math.abs(m))))
    }
    return sum
  }
  let beta = [1, 1, 0]
  let current = loss(beta)
  for (let iteration = 0; iteration < 100; iteration++) {
    const g = [ridge * beta[0]!, ridge * beta[1]!, 0]
    const h = [
      [ridge, 0, 0],
      [0, ridge, 0],
      [0, 0, 1e-9],
    ]
    for (let i = 0; i < w.length; i++) {
      const xi = x(i)
      const p = 1 / (1 + Math.exp(-(beta[0]! * xi[0]! + beta[1]! * xi[1]! + beta[2]!)))
      const r = (p - (abusive[i] ? 1 : 0)) * w[i]!
      const v = p * (1 - p) * w[i]!
      for (let a = 0; a < 3; a++) {
        g[a]! += r * xi[a]!
        for (let b = 0; b < 3; b++) h[a]![b]! += v * xi[a]! * xi[b]!
      }
    }
    const step = solve3(h, g)
    // Halve the step until the loss falls: a full Newton step overshoots where the scores saturate.
    let scale = 1
    let next = beta.map((b, a) => b - step[a]!)
    let value = loss(next)
    while (!(value <= current) && scale > 1e-6) {
      scale /= 2
      next = beta.map((b, a) => b - scale * step[a]!)
      value = loss(next)
    }
    if (!(value <= current)) break
    const improvement = current - value
    beta = next
    current = value
    if (improvement < 1e-12) break
  }
  return { shipped: beta[0]!, site: beta[1]!, bias: beta[2]! }
}

function solve3(m: number[][], v: number[]): number[] {
  const det = (a: number[][]) =>
    a[0]![0]! * (a[1]![1]! * a[2]![2]! - a[1]![2]! * a[2]![1]!) -
    a[0]![1]! * (a[1]![0]! * a[2]![2]! - a[1]![2]! * a[2]![0]!) +
    a[0]![2]! * (a[1]![0]! * a[2]![1]! - a[1]![1]! * a[2]![0]!)
  const d = det(m)
  return [0, 1, 2].map((col) => det(m.map((row, r) => row.map((x, c) => (c === col ? v[r]! : x)))) / d)
}

/**
 * The lowest threshold at which at most `1 − target` of the approved comments are held: those at or above
 * it, and the `heldAnyway` ones the rules hold whatever their score.
 */
export function holdThreshold(approved: readonly number[], target: number, heldAnyway = 0): number {
  const sorted = [...approved].sort((a, b) => b - a)
  let k = Math.floor((1 - target) * (sorted.length + heldAnyway) + 1e-9) - heldAnyway
  if (k <= 0 || sorted.length === 0) return (sorted[0] ?? 0) + 1e-6
  // Ties at the cut: hold fewer rather than more.
  while (k > 0 && k < sorted.length && sorted[k - 1] === sorted[k]) k--
  if (k === 0) return sorted[0]! + 1e-6
  if (k >= sorted.length) return sorted[sorted.length - 1]!
  return (sorted[k - 1]! + sorted[k]!) / 2
}
