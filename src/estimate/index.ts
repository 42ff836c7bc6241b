/**
 * The analytical cost model (docs/cost-model.md).
 *
 * - `estimate(network, hardware, mapping, { sparsity?, stemsAssumptions?, detail? }) -> CostResult`: resolves a mapping
 *   spec (or takes a resolved one), builds the schedule and evaluates every node in closed form. `detail: 'totals'`
 *   skips the per-layer, per-timestep records.
 * - `estimateSchedule(resolvedMapping, nodes, options)`: the same over a schedule the caller already built.
 * - `evaluateLayerNode(context, nest, stateStartsOnChip, out?) -> NodeCounts`: the accesses of one node's loop nest per
 *   operand, level and direction; `buildLayerContext(layer, hardware)` prepares its context.
 * - `BufferResidency`: the buffer's contents between nodes (working set, bypass, fetch, evict, write-back, free).
 */
export { estimate, estimateSchedule, EstimateOptions } from './estimate';
export { createNodeCounts, evaluateLayerNode, NodeCounts, READ, WRITE } from './evaluate-node';
export { buildLayerContext, DIM_INDEX, LayerContext, OPERAND_INDEX } from './layer-context';
export { nodeLatency, NodeLatency, transferCycles } from './latency';
export { BufferResidency, createNodeTransfers, NodeTransfers } from './residency';
export { resolveSpikeRates, SparsityOption } from './sparsity';
