import { Candidate } from './candidate';
import { CandidateEvaluator, Evaluation } from './evaluator';
import { candidateKey } from './candidate';

/** One candidate to evaluate; `layerDetail` also requests the figures of each layer. */
export interface EvaluationTask {
  candidate: Candidate;
  layerDetail: boolean;
}

/**
 * Evaluates one task. An error other than a rejected mapping (SpecError) rejects only that candidate, with the error
 * in its reason, so that one failing candidate does not stop the search.
 */
// NOTE: such an error is a bug in the estimator or the mapping code. The explorer skips the candidate and counts it
// among the rejected ones instead of stopping.
export function runTask(evaluator: CandidateEvaluator, task: EvaluationTask): Evaluation {
  try {
    return evaluator.evaluate(task.candidate, task.layerDetail);
  } catch (error) {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    return { valid: false, key: candidateKey(task.candidate), candidate: task.candidate, reason: `evaluation failed: ${message}` };
  }
}
