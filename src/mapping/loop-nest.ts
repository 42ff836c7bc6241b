import { LOOP_DIMS, LoopBounds } from '../spec/dims';
import { LoopNest, MappedLoop, ResolvedLayerMapping } from './types';

export function greatestCommonDivisor(a: number, b: number): number {
  while (b !== 0) {
    const rest = a % b;
    a = b;
    b = rest;
  }
  return a;
}

/**
 * Builds the loop nest of a node from its layer mapping (docs/cost-model.md, "Inside a node").
 *
 * Rule 1: each mapped factor is reduced to the greatest common divisor of itself and what is left of the node's extent,
 * spatial factors first, then the temporal levels from the innermost (and each level's loops from the innermost).
 * Rule 2: what is left of each dimension becomes one loop at the buffer, outermost, in the order T, B, K, C, OY, OX, FY, FX.
 */
export function nodeLoopNest(mapping: ResolvedLayerMapping, extents: LoopBounds): LoopNest {
  const left = { ...extents };
  const spatial = {} as LoopBounds;
  for (const dim of LOOP_DIMS) {
    const factor = greatestCommonDivisor(mapping.spatial[dim], left[dim]);
    spatial[dim] = factor;
    left[dim] /= factor;
  }

  // Reduce from the innermost loop outward, then emit outermost first.
  const reduced: MappedLoop[] = [];
  for (let levelIndex = mapping.temporal.length - 1; levelIndex >= 0; levelIndex--) {
    const levelLoops = mapping.temporal[levelIndex];
    for (let loopIndex = levelLoops.loops.length - 1; loopIndex >= 0; loopIndex--) {
      const { dim, factor } = levelLoops.loops[loopIndex];
      const kept = greatestCommonDivisor(factor, left[dim]);
      left[dim] /= kept;
      if (kept > 1) reduced.push({ dim, factor: kept, level: levelLoops.level });
    }
  }
  reduced.reverse();

  const leftovers: MappedLoop[] = [];
  for (const dim of LOOP_DIMS) {
    if (left[dim] > 1) leftovers.push({ dim, factor: left[dim], level: mapping.bufferLevel });
  }
  return { extents: { ...extents }, spatial, loops: [...leftovers, ...reduced] };
}

/** Compute cycles of a dense node: the product of its temporal loop factors. */
export function temporalIterations(nest: LoopNest): number {
  let iterations = 1;
  for (const loop of nest.loops) iterations *= loop.factor;
  return iterations;
}
