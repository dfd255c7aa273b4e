/**
 * What a moderator's decision teaches the abuse model. An approval says "clean"; a rejection says
 * "abusive" only when its reason was abuse: spam, off-topic, misinformation and bans are other
 * matters, and would teach the model that off-topic is abuse.
 */
export function exampleLabel(decision: 'approved' | 'rejected', reason: string | null): 'abusive' | 'clean' | null {
  if (decision === 'approved') return 'clean'
  return reason !== null && /^abuse\b/.test(reason) ? 'abusive' : null
}
