import { parentPort, workerData } from 'node:worker_threads';
import { CandidateEvaluator, ExploreSources } from './evaluator';
import { EvaluationTask, runTask } from './evaluation-task';

/** Worker thread of the pool: loads the specs itself, then evaluates one task per message and posts the result back. */
const evaluator = new CandidateEvaluator(workerData as ExploreSources);
parentPort!.on('message', (message: { id: number; task: EvaluationTask }) => {
  parentPort!.postMessage({ id: message.id, evaluation: runTask(evaluator, message.task) });
});
parentPort!.postMessage({ ready: true });
