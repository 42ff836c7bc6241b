import * as os from 'node:os';
import { CandidateEvaluator, ExploreSources } from './evaluator';
import { ObjectiveName } from './objectives';
import { BatchEvaluator, InlineEvaluator, WorkerPool } from './pool';
import { searchMappings, SearchResult } from './search';
import { SearchState } from './search-state';
import { TimeBatchChoice } from './space';

export interface ExploreOptions {
  /** Network spec: a path or a name under models/networks. */
  network: string;
  /** Hardware spec: a path or a name under models/hardware. */
  hardware: string;
  objective?: ObjectiveName;
  /** Most evaluations; default DEFAULT_BUDGET. */
  budget?: number;
  /** Worker threads; 0 evaluates in the calling thread. Default: the available parallelism. */
  workers?: number;
  seed?: string;
  stateVariants?: boolean;
  timeBatches?: TimeBatchChoice;
  stemsAssumptions?: boolean;
  onProgress?: (phase: string, state: SearchState) => void;
}

export interface ExploreRun {
  evaluator: CandidateEvaluator;
  result: SearchResult;
  workers: number;
  /** Wall-clock seconds of the search, worker start-up included. */
  seconds: number;
}

/** Evaluations when no budget is given: enough for the uniform schedules, the hybrids and a local search on SEW-ResNet-18. */
export const DEFAULT_BUDGET = 1000;

export const DEFAULT_SEED = 'stemsim';

export function defaultWorkerCount(): number {
  return os.availableParallelism();
}

/** Loads the specs, starts the workers and searches; the specs are checked in this thread first, so a bad one fails here. */
export async function explore(options: ExploreOptions): Promise<ExploreRun> {
  const started = performance.now();
  const sources: ExploreSources = { network: options.network, hardware: options.hardware, stemsAssumptions: options.stemsAssumptions ?? false };
  const evaluator = new CandidateEvaluator(sources);
  const budget = options.budget ?? DEFAULT_BUDGET;
  if (!Number.isInteger(budget) || budget < 1) throw new RangeError(`budget ${budget} is invalid; give a whole number of evaluations of at least 1`);
  const workers = options.workers ?? defaultWorkerCount();
  const pool: BatchEvaluator = workers > 0 ? await WorkerPool.start(sources, workers) : new InlineEvaluator(evaluator);
  try {
    const result = await searchMappings(evaluator, pool, {
      objective: options.objective ?? 'offchip',
      budget,
      seed: options.seed ?? DEFAULT_SEED,
      stateVariants: options.stateVariants ?? false,
      timeBatches: options.timeBatches ?? 'divisors',
      stemsAssumptions: sources.stemsAssumptions,
      onProgress: options.onProgress,
    });
    return { evaluator, result, workers, seconds: (performance.now() - started) / 1000 };
  } finally {
    await pool.close();
  }
}
