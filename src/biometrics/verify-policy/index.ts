export {
  type AttemptDecision,
  type AttemptInput,
  type AttemptReason,
  bestOfViews,
  decideAttempt,
  decideCall,
  startVerify,
  type Verdict,
  type VerifyState,
} from './decide.ts';
export { type ImpostorTailsFile, impostorTailsText, loadImpostorTails } from './impostor-tails.ts';
export {
  maxAttemptsCap,
  planVerify,
  sequencesMeasured,
  sequencesNeeded,
  type VerifyCombine,
  type VerifyPlan,
  type VerifyPolicySettings,
} from './plan.ts';
export { attemptRejection, type QualityGate } from './quality-gate.ts';
export { configuredImpostorTails, parseImpostorTails, readImpostorTailsFile } from './tails-file.ts';
