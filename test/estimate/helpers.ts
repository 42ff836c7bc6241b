import { AccessRecord, CostResult } from '../../src/metrics/types';
import { NetworkSpec } from '../../src/spec/network-schema';
import { resolveNetwork, ResolvedNetwork } from '../../src/spec/network';

/** Sums the words of the access records that match the filter. */
export function words(result: CostResult, filter: Partial<Pick<AccessRecord, 'layer' | 'timestep' | 'level' | 'operand' | 'direction'>>): number {
  let total = 0;
  for (const record of result.accesses) {
    if (filter.layer !== undefined && record.layer !== filter.layer) continue;
    if (filter.timestep !== undefined && record.timestep !== filter.timestep) continue;
    if (filter.level !== undefined && record.level !== filter.level) continue;
    if (filter.operand !== undefined && record.operand !== filter.operand) continue;
    if (filter.direction !== undefined && record.direction !== filter.direction) continue;
    total += record.words;
  }
  return total;
}

/**
 * Builds a one-layer network: a 1x1 conv over a 1-bit input of `channels` x 4 x 4, T = `timesteps`, with 2 output channels,
 * 4-bit weights, 8-bit partial sums and state. `stateful` picks a LIF neuron (1-bit spikes) or none (8-bit output).
 */
export function oneConvNetwork(options: { channels: number; timesteps: number; stateful: boolean; size?: number }): ResolvedNetwork {
  const size = options.size ?? 4;
  const spec: NetworkSpec = {
    name: 'one-conv',
    timesteps: options.timesteps,
    input: { channels: options.channels, height: size, width: size, bits: 1 },
    defaults: {
      precision: { weightBits: 4, outputBits: options.stateful ? 1 : 8, partialSumBits: 8, stateBits: 8 },
      neuron: options.stateful ? { model: 'lif', decay: 0.5 } : { model: 'none' },
    },
    layers: [{ name: 'c', type: 'conv2d', inputs: ['input'], outChannels: 2, kernel: 1 }],
  };
  return resolveNetwork(spec);
}

/**
 * Builds two 1x1 convs over a 1 x 2 x 2 spike input, T = 2: 'a' (LIF, 2 channels, 8-bit state) feeds 'b' (stateless,
 * 2 channels, 8-bit output). Tensor sizes: weights of a 8 bits and of b 16 bits, input 4 bits per timestep, a's spikes
 * 8 bits per timestep, a's state 64 bits, b's output 64 bits per timestep.
 */
export function twoConvNetwork(): ResolvedNetwork {
  return resolveNetwork({
    name: 'two-conv',
    timesteps: 2,
    input: { channels: 1, height: 2, width: 2, bits: 1 },
    defaults: {
      precision: { weightBits: 4, outputBits: 1, partialSumBits: 8, stateBits: 8 },
      neuron: { model: 'lif', decay: 0.5 },
    },
    layers: [
      { name: 'a', type: 'conv2d', inputs: ['input'], outChannels: 2, kernel: 1 },
      { name: 'b', type: 'conv2d', inputs: ['a'], outChannels: 2, kernel: 1, neuron: { model: 'none' }, precision: { outputBits: 8 } },
    ],
  });
}
