import { Candidate, candidateKey } from './candidate';
import { EvaluatedCandidate, Evaluation } from './evaluator';
import { compareBy, ObjectiveName } from './objectives';
import { BatchEvaluator } from './pool';

/**
 * Record of a search's evaluations: a cache by candidate key, every valid point in the order it was first
 * evaluated, and the count of evaluations against the budget. Cache hits cost nothing.
 */
export class SearchState {
  readonly points: EvaluatedCandidate[] = [];
  readonly rejected: { key: string; reason: string }[] = [];
  evaluations = 0;
  private readonly cache = new Map<string, Evaluation>();
  private readonly pointKeys = new Set<string>();

  constructor(
    private readonly pool: BatchEvaluator,
    readonly budget: number,
    private readonly onBatch: (state: SearchState) => void = () => {},
  ) {}

  get remaining(): number {
    return Math.max(this.budget - this.evaluations, 0);
  }

  /**
   * Evaluates candidates, in order, until the budget runs out; returns each one's evaluation, or null for those the
   * budget did not reach. `layerDetail` re-evaluates a cached candidate that was evaluated without layer figures.
   */
  async evaluate(candidates: Candidate[], layerDetail = false): Promise<(Evaluation | null)[]> {
    const keys = candidates.map(candidateKey);
    const tasks: Candidate[] = [];
    const taskOf = new Map<string, number>();
    for (const [index, key] of keys.entries()) {
      const cached = this.cache.get(key);
      const usable = cached && (!layerDetail || !cached.valid || cached.layers !== undefined);
      if (usable || taskOf.has(key)) continue;
      if (tasks.length >= this.remaining) break;
      taskOf.set(key, tasks.length);
      tasks.push(candidates[index]);
    }

    const results = await this.pool.evaluateBatch(tasks.map((candidate) => ({ candidate, layerDetail })));
    this.evaluations += tasks.length;
    results.forEach((evaluation, index) => {
      this.cache.set(candidateKey(tasks[index]), evaluation);
      if (!this.cache.has(evaluation.key) || layerDetail) this.cache.set(evaluation.key, evaluation);
      if (!evaluation.valid) {
        this.rejected.push({ key: evaluation.key, reason: evaluation.reason });
      } else if (!this.pointKeys.has(evaluation.key)) {
        this.pointKeys.add(evaluation.key);
        this.points.push(evaluation);
      }
    });
    if (tasks.length > 0) this.onBatch(this);
    return keys.map((key) => this.cache.get(key) ?? null);
  }

  /** Returns the best valid point by one objective (ties broken by the other objectives, then by evaluation order). */
  best(objective: ObjectiveName): EvaluatedCandidate | null {
    let best: EvaluatedCandidate | null = null;
    for (const point of this.points) {
      if (!best || compareBy(objective, point.objectives, best.objectives) < 0) best = point;
    }
    return best;
  }

  /** Returns the `count` best distinct points by one objective. */
  top(objective: ObjectiveName, count: number): EvaluatedCandidate[] {
    return this.points
      .map((point, index) => ({ point, index }))
      .sort((a, b) => compareBy(objective, a.point.objectives, b.point.objectives) || a.index - b.index)
      .slice(0, count)
      .map(({ point }) => point);
  }
}

/** Returns the valid evaluation among a batch's results that is best by one objective, or null. */
export function bestOf(results: (Evaluation | null)[], objective: ObjectiveName): EvaluatedCandidate | null {
  let best: EvaluatedCandidate | null = null;
  for (const result of results) {
    if (!result || !result.valid) continue;
    if (!best || compareBy(objective, result.objectives, best.objectives) < 0) best = result;
  }
  return best;
}
