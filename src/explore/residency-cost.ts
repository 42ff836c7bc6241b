import { ResolvedMapping, ScheduleNode } from '../mapping';

/**
 * Largest bypass work (see `bypassWork`) of a candidate that the explorer evaluates. At about 3e9 steps per second,
 * measured on an AMD EPYC core, this is some seconds of the estimator's time.
 */
export const MAX_BYPASS_WORK = 2e10;

/**
 * Returns an estimate of the steps that the estimator's buffer residency spends choosing what to bypass: the sum of n^3
 * over the nodes whose working set of n tensors does not fit the buffer.
 */
// NOTE: BufferResidency.chooseBypassed (src/estimate/residency.ts) looks up each candidate tensor with
// Array.includes inside a loop over the needed tensors, once per bypassed tensor, so a node that reads thousands of
// producer tiles (a consumer cut along another axis than its fused producer, or not cut at all) takes seconds to
// minutes. The explorer skips such candidates instead of waiting (see evaluator.ts).
export function bypassWork(mapping: ResolvedMapping, nodes: ScheduleNode[]): number {
  const network = mapping.network;
  const capacityBits = mapping.hardware.buffer.capacityBits ?? Infinity;
  const dramLevel = mapping.hardware.dram.index;
  const inputBits = network.batch * network.input.channels * network.input.height * network.input.width * network.input.bits;
  const outputBits = (node: ScheduleNode) => {
    const e = node.extents;
    return e.T * e.B * e.K * e.OY * e.OX * node.layer.precision.outputBits;
  };

  let work = 0;
  for (const node of nodes) {
    const layer = node.layer;
    const d = layer.dims;
    let count = 1 + node.producers.length + node.networkInputTimesteps.length;
    let bits = outputBits(node) + node.networkInputTimesteps.length * inputBits;
    for (const producer of node.producers) bits += outputBits(nodes[producer]);
    if (layer.hasWeights) {
      count += 1;
      bits += d.K * d.C * d.FY * d.FX * layer.precision.weightBits;
    }
    if (layer.hasState && mapping.layers.get(layer.name)!.stateLevel !== dramLevel) {
      count += 1;
      const e = node.extents;
      bits += e.B * e.K * e.OY * e.OX * layer.precision.stateBits;
    }
    if (bits > capacityBits) work += count ** 3;
  }
  return work;
}
