import { defaultLayerMapping } from '../mapping';
import { LoopDim, REDUCTION_DIMS } from '../spec/dims';
import { ResolvedHardware } from '../spec/hardware';
import { LayerMappingSpec } from '../spec/mapping-schema';
import { ResolvedLayer } from '../spec/network';

type Loop = [LoopDim, number];

/** Upper limit on the options of one layer, so that a layer with many buffer loops does not dominate the search. */
export const MAX_LAYER_OPTIONS = 16;

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items.slice()];
  const result: T[][] = [];
  items.forEach((item, index) => {
    const rest = [...items.slice(0, index), ...items.slice(index + 1)];
    for (const tail of permutations(rest)) result.push([item, ...tail]);
  });
  return result;
}

/** Merges loops of the same dimension into one loop whose factor is their product, keeping the first position. */
function mergeLoops(loops: Loop[]): Loop[] {
  const merged: Loop[] = [];
  for (const [dim, factor] of loops) {
    const existing = merged.find(([candidate]) => candidate === dim);
    if (existing) existing[1] *= factor;
    else merged.push([dim, factor]);
  }
  return merged;
}

function withLevelLoops(base: LayerMappingSpec, level: string, loops: Loop[]): LayerMappingSpec {
  const temporal = (base.temporal ?? []).map((entry) => ({ level: entry.level, loops: entry.loops.map((loop): Loop => [loop[0] as LoopDim, loop[1]]) }));
  const entry = temporal.find((candidate) => candidate.level === level);
  if (entry) entry.loops = loops;
  else temporal.unshift({ level, loops });
  return { ...base, temporal: temporal.filter((candidate) => candidate.loops.length > 0) };
}

/**
 * Lists the intra-layer mappings to try for one layer, the default layer mapping first. Each is a variant of the
 * default:
 * - tilings: the reduction loops of the innermost level moved to the buffer, wholly or only C;
 * - loop orders at the buffer: the reduction loops above the output loops (B, K, OY, OX), then every order of the
 *   output loops. Each order comes with the T loop just above the reduction loops or outermost. The first place is
 *   the default because it keeps a state tile in the registers across timesteps.
 * A layer with four output loops has more orders than MAX_LAYER_OPTIONS allows, and the last ones are left out.
 * Options may break capacity or causality under some schedules. resolveMapping decides, and the evaluator then falls
 * back to the default for that layer. The list is deterministic, so an index identifies an option.
 */
export function layerOptions(layer: ResolvedLayer, hardware: ResolvedHardware): LayerMappingSpec[] {
  const base = defaultLayerMapping(layer, hardware);
  const bufferName = hardware.buffer.name;
  const temporal = base.temporal ?? [];
  const bufferLoops: Loop[] = (temporal.find((entry) => entry.level === bufferName)?.loops ?? []).map((loop): Loop => [loop[0] as LoopDim, loop[1]]);
  const innerEntry = temporal.find((entry) => entry.level !== bufferName);

  const isReduction = (loop: Loop) => REDUCTION_DIMS.includes(loop[0]);
  const timeLoops = bufferLoops.filter((loop) => loop[0] === 'T');
  const reductionLoops = bufferLoops.filter(isReduction);
  const outputLoops = bufferLoops.filter((loop) => loop[0] !== 'T' && !isReduction(loop));

  const options: LayerMappingSpec[] = [base];
  const seen = new Set([JSON.stringify(base)]);
  const add = (option: LayerMappingSpec) => {
    const key = JSON.stringify(option);
    if (seen.has(key) || options.length >= MAX_LAYER_OPTIONS) return;
    seen.add(key);
    options.push(option);
  };

  if (innerEntry && innerEntry.loops.length > 0) {
    const innerLoops: Loop[] = innerEntry.loops.map((loop): Loop => [loop[0] as LoopDim, loop[1]]);
    const untiled = withLevelLoops(base, bufferName, mergeLoops([...bufferLoops, ...innerLoops]));
    add(withLevelLoops(untiled, innerEntry.level, []));
    const channelLoops = innerLoops.filter((loop) => loop[0] === 'C');
    if (channelLoops.length > 0 && channelLoops.length < innerLoops.length) {
      const channelsOut = withLevelLoops(base, bufferName, mergeLoops([...outputLoops, ...timeLoops, ...reductionLoops, ...channelLoops]));
      add(withLevelLoops(channelsOut, innerEntry.level, innerLoops.filter((loop) => loop[0] !== 'C')));
    }
  }

  if (reductionLoops.length > 0) add(withLevelLoops(base, bufferName, [...timeLoops, ...reductionLoops, ...outputLoops]));
  for (const order of permutations(outputLoops)) {
    add(withLevelLoops(base, bufferName, [...order, ...timeLoops, ...reductionLoops]));
    add(withLevelLoops(base, bufferName, [...timeLoops, ...order, ...reductionLoops]));
  }
  return options;
}
