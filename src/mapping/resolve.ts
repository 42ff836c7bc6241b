import { LOOP_DIMS, LoopBounds, REDUCTION_DIMS } from '../spec/dims';
import { SpecError } from '../spec/errors';
import { ResolvedHardware } from '../spec/hardware';
import { MappingSchema, MappingSpec } from '../spec/mapping-schema';
import { validateAgainstSchema } from '../spec/validate-schema';
import { ResolvedNetwork } from '../spec/network';
import { defaultLayerMapping } from './default';
import { distinctNodeExtents } from './extents';
import { resolveGroups } from './groups';
import { pointerToken, resolveLayerMapping } from './layer-mapping';
import { nodeLoopNest } from './loop-nest';
import { describeOverflow, findCapacityOverflow, layerGeometry } from './tiles';
import { LoopNest, ResolvedGroup, ResolvedLayerMapping, ResolvedMapping } from './types';

export interface ResolveMappingOptions {
  /** The STEMS authors' assumptions: one-column fusion tiles, no padding, state starts in and returns to DRAM. */
  stemsAssumptions?: boolean;
}

/** Label used as the file of errors in a built-in default layer mapping. */
const DEFAULT_FILE = 'built-in default mapping';

/**
 * Checks that the factors of each dimension multiply to a divisor of the layer's extent. A fused group cuts its tile
 * axis into tiles, and rule 1 reduces the factors of that axis per tile, so that axis is not checked.
 */
function checkDivisibility(mapping: ResolvedLayerMapping, group: ResolvedGroup, file: string): void {
  const layer = mapping.layer;
  const product = { ...mapping.spatial };
  const check = (dim: keyof LoopBounds, factor: number, at: string) => {
    if (group.schedule === 'fused' && dim === group.tileAxis) return;
    if (layer.dims[dim] % product[dim] !== 0) {
      throw new SpecError(
        file,
        at,
        `factor ${factor} of ${dim} makes the ${dim} factors of layer '${layer.name}' multiply to ${product[dim]}, which does not divide ${dim} = ${layer.dims[dim]}; use factors whose product divides ${layer.dims[dim]}`,
      );
    }
  };
  for (const dim of LOOP_DIMS) {
    if (mapping.spatial[dim] > 1) check(dim, mapping.spatial[dim], `${mapping.specPath}/spatial/${dim}`);
  }
  for (const entry of mapping.temporal) {
    entry.loops.forEach(({ dim, factor }, loopIndex) => {
      product[dim] *= factor;
      check(dim, factor, `${entry.specPath}/loops/${loopIndex}/1`);
    });
  }
}

/** Checks causality: in a stateful layer no T loop may sit below a C, FY or FX loop. */
function checkCausality(mapping: ResolvedLayerMapping, nest: LoopNest, hardware: ResolvedHardware, file: string): void {
  if (!mapping.layer.hasState) return;
  let reduction: LoopNest['loops'][number] | undefined;
  for (const loop of nest.loops) {
    if (REDUCTION_DIMS.includes(loop.dim)) {
      reduction ??= loop;
    } else if (loop.dim === 'T' && reduction) {
      const entry = mapping.temporal.find((candidate) => candidate.level === loop.level);
      const loopIndex = entry ? entry.loops.findIndex((candidate) => candidate.dim === 'T') : -1;
      const at = entry && loopIndex >= 0 ? `${entry.specPath}/loops/${loopIndex}` : `${mapping.specPath}/temporal`;
      throw new SpecError(
        file,
        at,
        `causality: in stateful layer '${mapping.layer.name}' the T loop at ${hardware.levels[loop.level].name} sits below the ${reduction.dim} loop at ${hardware.levels[reduction.level].name}, so timestep t+1 would start before the reduction of t ends; put every T loop above every C, FY and FX loop`,
      );
    }
  }
}

function checkCapacity(mapping: ResolvedLayerMapping, nest: LoopNest, hardware: ResolvedHardware, file: string): void {
  const overflow = findCapacityOverflow(nest, layerGeometry(mapping.layer), hardware);
  if (!overflow) return;
  const entry = mapping.temporal.find((candidate) => candidate.level === overflow.level.index);
  const at = entry ? entry.specPath : `${mapping.specPath}/temporal`;
  throw new SpecError(
    file,
    at,
    `layer '${mapping.layer.name}': ${describeOverflow(overflow)}; move loops of ${overflow.level.name} or inner levels to an outer level, or lower the spatial factors`,
  );
}

/**
 * Resolves a mapping spec against a network and a hardware: the groups of the inter-layer schedule and the layer
 * mapping of every layer (the default one where the spec gives none).
 *
 * Raises SpecError naming the field. It rejects unknown layers and levels, loops at DRAM and spatial factors beyond the
 * PE array. It also rejects factors that do not divide their dimension, tiles that do not fit their level, causality
 * violations, and groups that overlap or are not consecutive.
 */
export function resolveMapping(
  spec: MappingSpec,
  network: ResolvedNetwork,
  hardware: ResolvedHardware,
  file = spec.name,
  options: ResolveMappingOptions = {},
): ResolvedMapping {
  const stemsAssumptions = options.stemsAssumptions ?? false;
  // A spec built in code has not met the schema yet; one loaded from a file passes again at little cost.
  validateAgainstSchema<MappingSpec>(MappingSchema, spec, file);
  if (spec.network !== undefined && spec.network !== network.name) {
    throw new SpecError(file, '/network', `the mapping is written for '${spec.network}', not '${network.name}'; pick a mapping of '${network.name}'`);
  }

  const groups = resolveGroups(spec, network, file, stemsAssumptions);
  const groupOf = new Map<string, number>();
  for (const group of groups) {
    for (const layer of group.layers) groupOf.set(layer.name, group.index);
  }

  for (const name of Object.keys(spec.layers ?? {})) {
    const layer = network.byName.get(name);
    const at = `/layers/${pointerToken(name)}`;
    if (!layer) throw new SpecError(file, at, `unknown layer '${name}'; '${network.name}' has no layer of this name`);
    if (layer.isView) throw new SpecError(file, at, `'${name}' is a flatten layer, which has no loop nest; remove its mapping`);
  }

  const layers = new Map<string, ResolvedLayerMapping>();
  for (const layer of network.layers) {
    if (layer.isView) continue;
    const layerSpec = spec.layers?.[layer.name];
    const fromSpec = layerSpec !== undefined;
    const errorFile = fromSpec ? file : DEFAULT_FILE;
    const mapping = fromSpec
      ? resolveLayerMapping(layerSpec, layer, hardware, file, `/layers/${pointerToken(layer.name)}`)
      : resolveLayerMapping(defaultLayerMapping(layer, hardware), layer, hardware, DEFAULT_FILE, '');
    const group = groups[groupOf.get(layer.name)!];
    checkDivisibility(mapping, group, errorFile);
    // Causality is checked on the loops as written (all T timesteps) too, so that a mapping does not break it once a
    // group batches more timesteps.
    checkCausality(mapping, nodeLoopNest(mapping, layer.dims), hardware, errorFile);
    for (const extents of distinctNodeExtents(layer, group)) {
      const nest = nodeLoopNest(mapping, extents);
      checkCausality(mapping, nest, hardware, errorFile);
      checkCapacity(mapping, nest, hardware, errorFile);
    }
    layers.set(layer.name, mapping);
  }

  return { name: spec.name, file, spec, network, hardware, layers, groups, groupOf, stemsAssumptions };
}
