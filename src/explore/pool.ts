import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { CandidateEvaluator, Evaluation, ExploreSources } from './evaluator';
import { EvaluationTask, runTask } from './evaluation-task';

/** Evaluates batches of candidates; the results come back in task order, whichever worker computed them. */
export interface BatchEvaluator {
  /** Worker threads in use; 0 when the calling thread evaluates. */
  readonly workers: number;
  evaluateBatch(tasks: EvaluationTask[]): Promise<Evaluation[]>;
  close(): Promise<void>;
}

/** Evaluates in the calling thread. */
export class InlineEvaluator implements BatchEvaluator {
  readonly workers = 0;

  constructor(private readonly evaluator: CandidateEvaluator) {}

  async evaluateBatch(tasks: EvaluationTask[]): Promise<Evaluation[]> {
    return tasks.map((task) => runTask(this.evaluator, task));
  }

  async close(): Promise<void> {}
}

/**
 * Starts a worker on worker.ts. Under TypeScript sources (tsx or jest), the worker registers tsx's CommonJS loader
 * first, because a worker thread does not inherit the loader of its parent.
 */
function startWorker(sources: ExploreSources): Worker {
  if (__filename.endsWith('.ts')) {
    const loader = require.resolve('tsx/cjs');
    const entry = path.join(__dirname, 'worker.ts');
    return new Worker(`require(${JSON.stringify(loader)}); require(${JSON.stringify(entry)});`, { eval: true, workerData: sources });
  }
  return new Worker(path.join(__dirname, 'worker.js'), { workerData: sources });
}

interface PendingBatch {
  tasks: EvaluationTask[];
  results: Evaluation[];
  next: number;
  done: number;
  resolve: (results: Evaluation[]) => void;
  reject: (error: Error) => void;
}

/** A fixed set of worker threads (node:worker_threads); each takes the next task of the batch when it finishes one. */
export class WorkerPool implements BatchEvaluator {
  private pending: PendingBatch | null = null;
  private failure: Error | null = null;

  private constructor(private readonly threads: Worker[]) {
    threads.forEach((worker) => {
      worker.on('message', (message: { id: number; evaluation: Evaluation }) => this.receive(worker, message));
      worker.on('error', (error) => this.fail(new Error(`explore worker failed: ${error.message}`)));
      worker.on('exit', (code) => {
        if (code !== 0) this.fail(new Error(`explore worker exited with code ${code}`));
      });
    });
  }

  /** Starts `count` workers and waits until each has loaded the specs. */
  static async start(sources: ExploreSources, count: number): Promise<WorkerPool> {
    const threads = Array.from({ length: count }, () => startWorker(sources));
    try {
      await Promise.all(
        threads.map(
          (worker) =>
            new Promise<void>((resolve, reject) => {
              const onError = (error: Error) => reject(new Error(`explore worker failed to start: ${error.message}`));
              worker.once('error', onError);
              worker.once('message', () => {
                worker.off('error', onError);
                resolve();
              });
            }),
        ),
      );
    } catch (error) {
      await Promise.all(threads.map((worker) => worker.terminate()));
      throw error;
    }
    return new WorkerPool(threads);
  }

  get workers(): number {
    return this.threads.length;
  }

  evaluateBatch(tasks: EvaluationTask[]): Promise<Evaluation[]> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.pending) return Promise.reject(new Error('internal error: WorkerPool.evaluateBatch called while a batch is running'));
    if (tasks.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      this.pending = { tasks, results: new Array(tasks.length), next: 0, done: 0, resolve, reject };
      for (const worker of this.threads) this.dispatch(worker);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.threads.map((worker) => worker.terminate()));
  }

  private dispatch(worker: Worker): void {
    const batch = this.pending;
    if (!batch || batch.next >= batch.tasks.length) return;
    const id = batch.next++;
    worker.postMessage({ id, task: batch.tasks[id] });
  }

  private receive(worker: Worker, message: { id: number; evaluation: Evaluation }): void {
    const batch = this.pending;
    if (!batch) return;
    batch.results[message.id] = message.evaluation;
    batch.done += 1;
    if (batch.done === batch.tasks.length) {
      this.pending = null;
      batch.resolve(batch.results);
    } else {
      this.dispatch(worker);
    }
  }

  private fail(error: Error): void {
    this.failure ??= error;
    const batch = this.pending;
    this.pending = null;
    batch?.reject(error);
  }
}
