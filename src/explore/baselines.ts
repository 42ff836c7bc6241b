import { Candidate } from './candidate';
import { EvaluatedCandidate } from './evaluator';

/** The layer-by-layer schedules that the STEMS study compares against: sequential time and fully time-batched. */
export type BaselineName = 'st-lbl' | 'tb-lbl';

/** true for a candidate with one layer-by-layer group over all blocks, default layer mappings and the spec's own state. */
function isBaseline(candidate: Candidate, timeBatch: number): boolean {
  const groups = candidate.groups;
  return (
    candidate.stateBlocks === null &&
    groups.length === 1 &&
    groups[0].settings.schedule === 'layer-by-layer' &&
    groups[0].settings.timeBatch === timeBatch &&
    candidate.layerOptions.every((option) => option === 0)
  );
}

/** Finds the two layer-by-layer baselines among the evaluated points (the search evaluates both first). */
export function findBaselines(points: EvaluatedCandidate[], timesteps: number): Partial<Record<BaselineName, EvaluatedCandidate>> {
  const baselines: Partial<Record<BaselineName, EvaluatedCandidate>> = {};
  for (const point of points) {
    if (isBaseline(point.candidate, 1)) baselines['st-lbl'] ??= point;
    if (isBaseline(point.candidate, timesteps)) baselines['tb-lbl'] ??= point;
  }
  return baselines;
}
