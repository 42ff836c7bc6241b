/**
 * Mapping semantics shared by the analytical model, the simulator and the explorer (docs/cost-model.md). Nothing here
 * counts accesses.
 *
 * - `resolveMapping(spec, network, hardware, file?, { stemsAssumptions? }) -> ResolvedMapping`: checks a mapping spec
 *   against a network and a hardware and fills in the default layer mappings and groups. Raises SpecError(file,
 *   JSON pointer, reason).
 * - `defaultMapping(network, hardware, schedule?) -> MappingSpec`: a valid mapping for any network and hardware, by
 *   default layer by layer in sequential time. `scheduleMapping(network, hardware, groups, name?)` builds one for a
 *   given list of groups; `defaultLayerMapping(layer, hardware)` gives one layer's mapping.
 * - `nodeLoopNest(layerMapping, extents) -> LoopNest`: the loop nest of a node (rules 1 and 2 of "Inside a node").
 * - `buildSchedule(network, resolvedMapping) -> ScheduleNode[]`: the nodes in execution order, with their time chunk,
 *   tile, loop bounds, producers and consumers ("Nodes").
 * - Tiles: `layerGeometry`, `levelFootprint`, `operandTileElements`, `storedOperands`, `usableCapacityBits`,
 *   `findCapacityOverflow` give the tile sizes and capacity rules ("Tile", "Capacity").
 * - Node shapes: `timeChunks`, `layerTiles`, `nodeExtents`; receptive fields: `layerSources`, `inputRange`.
 */
export * from './types';
export { resolveMapping, ResolveMappingOptions } from './resolve';
export { defaultLayerMapping, defaultLayerMappings, defaultMapping, largestDivisorAtMost, scheduleMapping } from './default';
export { FALLBACK_GROUP } from './groups';
export { layerMappingToSpec, pointerToken } from './layer-mapping';
export { greatestCommonDivisor, nodeLoopNest, temporalIterations } from './loop-nest';
export { buildSchedule } from './schedule';
export {
  CapacityOverflow,
  describeOverflow,
  findCapacityOverflow,
  LayerGeometry,
  layerGeometry,
  levelFootprint,
  operandTileElements,
  storedOperands,
  usableCapacityBits,
} from './tiles';
export { distinctNodeExtents, layerTiles, nodeExtents, splitRange, timeChunks } from './extents';
export { inputRange, LayerSource, layerSources } from './receptive-field';
