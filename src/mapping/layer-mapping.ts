import { LOOP_DIMS, LoopBounds, LoopDim } from '../spec/dims';
import { SpecError } from '../spec/errors';
import { ResolvedHardware } from '../spec/hardware';
import { LayerMappingSpec } from '../spec/mapping-schema';
import { ResolvedLayer } from '../spec/network';
import { LevelLoops, ResolvedLayerMapping } from './types';

/** Escapes a key for a JSON pointer (RFC 6901). */
export function pointerToken(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

export function unitBounds(): LoopBounds {
  return { T: 1, B: 1, K: 1, C: 1, OY: 1, OX: 1, FY: 1, FX: 1 };
}

/**
 * Resolves the level names of a layer mapping and checks what does not depend on the node shapes: known levels in
 * outermost-first order, no loops at DRAM, spatial factors within the PE array, a valid state level.
 * `layerPath` is the JSON pointer of the layer mapping in the spec ('' for a built-in default).
 */
export function resolveLayerMapping(
  spec: LayerMappingSpec,
  layer: ResolvedLayer,
  hardware: ResolvedHardware,
  file: string,
  layerPath: string,
): ResolvedLayerMapping {
  const spatial = unitBounds();
  for (const [dim, factor] of Object.entries(spec.spatial ?? {})) {
    const at = `${layerPath}/spatial/${dim}`;
    const axis = hardware.arrayDims[dim as LoopDim];
    if (axis === undefined) {
      const axes = Object.keys(hardware.arrayDims).join(', ');
      throw new SpecError(file, at, `the PE array of '${hardware.name}' has no ${dim} axis; unroll only ${axes}`);
    }
    if (factor > axis) {
      throw new SpecError(file, at, `spatial factor ${factor} exceeds the ${dim} axis of ${axis} PEs; use at most ${axis}`);
    }
    spatial[dim as LoopDim] = factor;
  }

  const temporal: LevelLoops[] = [];
  let previousLevel = -1;
  (spec.temporal ?? []).forEach((entry, entryIndex) => {
    const at = `${layerPath}/temporal/${entryIndex}`;
    const level = hardware.byName.get(entry.level);
    if (!level) {
      const names = hardware.levels.map((candidate) => candidate.name).join(', ');
      throw new SpecError(file, `${at}/level`, `unknown memory level '${entry.level}'; '${hardware.name}' has ${names}`);
    }
    if (level.isOffChip && entry.loops.length > 0) {
      throw new SpecError(
        file,
        `${at}/level`,
        `loops at DRAM ('${level.name}') are invalid because the inter-layer schedule decides what crosses to DRAM; put them at '${hardware.buffer.name}' or an inner level`,
      );
    }
    if (level.index <= previousLevel) {
      throw new SpecError(
        file,
        `${at}/level`,
        `level '${level.name}' is listed after a level inside it or twice; list each level once, outermost first`,
      );
    }
    previousLevel = level.index;
    if (level.isOffChip) return;
    temporal.push({ level: level.index, loops: entry.loops.map(([dim, factor]) => ({ dim: dim as LoopDim, factor })), specPath: layerPath ? at : '' });
  });

  let stateLevel = hardware.buffer.index;
  if (spec.stateLevel !== undefined) {
    const at = `${layerPath}/stateLevel`;
    const level = hardware.byName.get(spec.stateLevel);
    if (!level) {
      throw new SpecError(file, at, `unknown memory level '${spec.stateLevel}'; use '${hardware.buffer.name}' or '${hardware.dram.name}'`);
    }
    if (level !== hardware.buffer && level !== hardware.dram) {
      throw new SpecError(
        file,
        at,
        `state lives between nodes in the buffer ('${hardware.buffer.name}') or in DRAM ('${hardware.dram.name}'), not in '${level.name}'; inner levels hold state tiles through the temporal loops`,
      );
    }
    stateLevel = level.index;
  }

  return { layer, spatial, temporal, bufferLevel: hardware.buffer.index, stateLevel, specPath: layerPath };
}

/** Converts a resolved layer mapping back to its spec form (loops at every listed level, spatial factors above 1). */
export function layerMappingToSpec(mapping: ResolvedLayerMapping, hardware: ResolvedHardware): LayerMappingSpec {
  const spatial: Record<string, number> = {};
  for (const dim of LOOP_DIMS) {
    if (mapping.spatial[dim] > 1) spatial[dim] = mapping.spatial[dim];
  }
  const spec: LayerMappingSpec = {
    spatial,
    temporal: mapping.temporal.map((entry) => ({
      level: hardware.levels[entry.level].name,
      loops: entry.loops.map((loop): [LoopDim, number] => [loop.dim, loop.factor]),
    })),
  };
  if (mapping.stateLevel !== hardware.buffer.index) spec.stateLevel = hardware.levels[mapping.stateLevel].name;
  return spec;
}
