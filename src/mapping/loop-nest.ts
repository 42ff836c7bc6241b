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
  const left = { T: extents.T, B: extents.B, K: extents.K, C: extents.C, OY: extents.OY, OX: extents.OX, FY: extents.FY, FX: extents.FX };
  const spatial = { T: 1, B: 1, K: 1, C: 1, OY: 1, OX: 1, FY: 1, FX: 1 };
  for (const dim of LOOP_DIMS) {
    const factor = greatestCommonDivisor(mapping.spatial[dim], left[dim]);
    spatial[dim] = factor;
    left[dim] /= factor;
  }

  // Reduce from the innermost loop outward; the loops are emitted outermost first.
  const reduced: MappedLoop[] = [];
  for (let levelIndex = mapping.temporal.length - 1; levelIndex >= 0; levelIndex--) {
    const levelLoops = mapping.temporal[levelIndex];
    for (let loopIndex = levelLoops.loops.length - 1; loopIndex >= 0; loopIndex--) {
      const { dim, factor } = levelLoops.loops[loopIndex];
      const kept = greatestCommonDivisor(factor, left[dim]);
      left[dim] /= kept;
      if (kept > 1) reduced.push({ dim, dimIndex: LOOP_DIMS.indexOf(dim), factor: kept, level: levelLoops.level });
    }
  }

  const loops: MappedLoop[] = [];
  for (let dimIndex = 0; dimIndex < LOOP_DIMS.length; dimIndex++) {
    const dim = LOOP_DIMS[dimIndex];
    if (left[dim] > 1) loops.push({ dim, dimIndex, factor: left[dim], level: mapping.bufferLevel });
  }
  for (let index = reduced.length - 1; index >= 0; index--) loops.push(reduced[index]);
  const copy = { T: extents.T, B: extents.B, K: extents.K, C: extents.C, OY: extents.OY, OX: extents.OX, FY: extents.FY, FX: extents.FX };
  return { extents: copy, spatial, loops };
}

/** Compute cycles of a dense node: the product of its temporal loop factors. */
export function temporalIterations(nest: LoopNest): number {
  let iterations = 1;
  for (const loop of nest.loops) iterations *= loop.factor;
  return iterations;
}
