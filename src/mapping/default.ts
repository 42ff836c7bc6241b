import { LoopDim } from '../spec/dims';
import { SpecError } from '../spec/errors';
import { ResolvedHardware } from '../spec/hardware';
import { GroupScheduleSpec, LayerMappingSpec, MappingSpec } from '../spec/mapping-schema';
import { ResolvedLayer, ResolvedNetwork } from '../spec/network';
import { FALLBACK_GROUP } from './groups';
import { layerMappingToSpec, unitBounds } from './layer-mapping';
import { nodeLoopNest } from './loop-nest';
import { describeOverflow, findCapacityOverflow, layerGeometry } from './tiles';
import { ResolvedLayerMapping } from './types';

/** Largest divisor of `value` that is at most `limit`. */
export function largestDivisorAtMost(value: number, limit: number): number {
  for (let candidate = Math.min(value, limit); candidate > 1; candidate--) {
    if (value % candidate === 0) return candidate;
  }
  return 1;
}

function fits(mapping: ResolvedLayerMapping, layer: ResolvedLayer, hardware: ResolvedHardware): boolean {
  return findCapacityOverflow(nodeLoopNest(mapping, layer.dims), layerGeometry(layer), hardware) === null;
}

/**
 * Builds a layer mapping that fits any hardware:
 * - spatial: the largest divisor of each dimension that the PE-array axis holds, shrunk until the tiles fit;
 * - the reduction loops (C, FY, FX) at the innermost level, as large as the tiles allow, so accumulators stay there;
 * - everything else at the buffer: B, K, OY, OX, then T, then what is left of C, FY, FX. T above the reduction loops
 *   keeps causality, and T below the output loops keeps a state tile in the registers across the node's timesteps.
 */
export function defaultLayerMapping(layer: ResolvedLayer, hardware: ResolvedHardware): LayerMappingSpec {
  const mapping: ResolvedLayerMapping = {
    layer,
    spatial: unitBounds(),
    temporal: [],
    bufferLevel: hardware.buffer.index,
    stateLevel: hardware.buffer.index,
    specPath: '',
  };
  for (const [dim, size] of Object.entries(hardware.arrayDims) as [LoopDim, number][]) {
    mapping.spatial[dim] = largestDivisorAtMost(layer.dims[dim], size);
  }

  while (!fits(mapping, layer, hardware)) {
    const unrolled = (Object.keys(hardware.arrayDims) as LoopDim[]).filter((dim) => mapping.spatial[dim] > 1);
    if (unrolled.length === 0) {
      const overflow = findCapacityOverflow(nodeLoopNest(mapping, layer.dims), layerGeometry(layer), hardware)!;
      throw new SpecError(
        hardware.name,
        `/levels/${overflow.level.index}/capacityBits`,
        `layer '${layer.name}' cannot be mapped even one element at a time: ${describeOverflow(overflow)}; enlarge the level`,
      );
    }
    const widest = unrolled.reduce((best, dim) => (mapping.spatial[dim] > mapping.spatial[best] ? dim : best));
    mapping.spatial[widest] = largestDivisorAtMost(layer.dims[widest], mapping.spatial[widest] - 1);
  }

  const left = { ...layer.dims };
  for (const dim of Object.keys(left) as LoopDim[]) left[dim] /= mapping.spatial[dim];

  const innermost = hardware.levels[hardware.levels.length - 1];
  if (innermost.index > hardware.buffer.index) {
    const innerLoops = { level: innermost.index, loops: [] as { dim: LoopDim; factor: number }[], specPath: '' };
    mapping.temporal.push(innerLoops);
    // Place FX first, then FY, then C, each as the outermost loop so far: the level's loops read C, FY, FX.
    for (const dim of ['FX', 'FY', 'C'] as const) {
      if (left[dim] === 1) continue;
      for (let factor = left[dim]; factor >= 1; factor--) {
        if (left[dim] % factor !== 0) continue;
        if (factor === 1) break;
        innerLoops.loops.unshift({ dim, factor });
        if (fits(mapping, layer, hardware)) {
          left[dim] /= factor;
          break;
        }
        innerLoops.loops.shift();
      }
    }
    if (innerLoops.loops.length === 0) mapping.temporal.pop();
  }

  // NOTE: the default aims at validity, not cost. When C does not fit the innermost level, its remainder sits below
  // OY and OX at the buffer, so the inner weight level is refilled for every output tile. With red-lif L13 on the
  // 128 KB buffer, whose weights are bypassed, that reads its weights from DRAM 11,040 times per inference.
  const bufferLoops = (['B', 'K', 'OY', 'OX', 'T', 'C', 'FY', 'FX'] as const)
    .filter((dim) => left[dim] > 1)
    .map((dim) => ({ dim, factor: left[dim] }));
  if (bufferLoops.length > 0) mapping.temporal.unshift({ level: hardware.buffer.index, loops: bufferLoops, specPath: '' });
  return layerMappingToSpec(mapping, hardware);
}

/** Layer mappings of every layer with a loop nest, by name. */
export function defaultLayerMappings(network: ResolvedNetwork, hardware: ResolvedHardware): Record<string, LayerMappingSpec> {
  const layers: Record<string, LayerMappingSpec> = {};
  for (const layer of network.layers) {
    if (!layer.isView) layers[layer.name] = defaultLayerMapping(layer, hardware);
  }
  return layers;
}

/** Builds a valid mapping for any network and hardware: default layer mappings, and every layer in one group of `schedule`. */
export function defaultMapping(
  network: ResolvedNetwork,
  hardware: ResolvedHardware,
  schedule: Omit<GroupScheduleSpec, 'layers' | 'blocks'> = FALLBACK_GROUP,
): MappingSpec {
  return {
    name: `${network.name}-default`,
    description: `Default mapping of ${network.name} on ${hardware.name}: ${describeSchedule(schedule)}.`,
    network: network.name,
    defaultGroup: { ...schedule },
    layers: defaultLayerMappings(network, hardware),
  };
}

/**
 * Builds a mapping with the given inter-layer schedule and default layer mappings. Layers that no group names run layer by
 * layer in sequential time.
 */
export function scheduleMapping(
  network: ResolvedNetwork,
  hardware: ResolvedHardware,
  groups: GroupScheduleSpec[],
  name = `${network.name}-schedule`,
): MappingSpec {
  return {
    name,
    network: network.name,
    groups: groups.map((group) => ({ ...group })),
    layers: defaultLayerMappings(network, hardware),
  };
}

function describeSchedule(schedule: Omit<GroupScheduleSpec, 'layers' | 'blocks'>): string {
  const time = schedule.timeBatch === 1 ? 'sequential time' : `${schedule.timeBatch} timesteps per node`;
  if (schedule.schedule === 'layer-by-layer') return `layer by layer, ${time}`;
  return `fused in tiles of ${schedule.tileSize} along ${schedule.tileAxis ?? 'OX'}, ${time}`;
}
