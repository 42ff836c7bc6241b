import { neuronCount } from '../capture/trace-query';
import { TraceHeader, TraceSample } from '../capture/trace-types';
import { NETWORK_INPUT, ResolvedNetwork } from '../spec/network';

/**
 * Nonzero fraction of each tensor of a traced sample per timestep, keyed by the layer name or 'input'.
 * A layer's `spikeCount` counts its nonzero outputs, which for a stateless ANN layer are its nonzero activations.
 */
export function tensorNonzeroRates(header: TraceHeader, sample: TraceSample): Map<string, number[]> {
  const timesteps = header.timesteps;
  const layerCount = header.layers.length;
  const rates = new Map<string, number[]>();

  const inputElements = neuronCount(header.input);
  rates.set(
    NETWORK_INPUT,
    sample.input.map((step) => step.nonzeroCount / inputElements),
  );

  header.layers.forEach((info, layerIndex) => {
    const neurons = neuronCount(info);
    const perTimestep: number[] = [];
    for (let t = 0; t < timesteps; t++) {
      perTimestep.push(sample.records[t * layerCount + layerIndex].spikeCount / neurons);
    }
    rates.set(info.name, perTimestep);
  });
  return rates;
}

/** Returns the tensor a layer reads; a flatten layer is a view, so its consumers read its producer. */
function sourceTensor(network: ResolvedNetwork, name: string): string {
  let current = name;
  while (current !== NETWORK_INPUT && network.byName.get(current)!.isView) {
    current = network.byName.get(current)!.inputs[0];
  }
  return current;
}

/**
 * Input spike rate of every layer at every timestep, for the analytical model's sparsity option:
 * the nonzero fraction of what the layer reads, averaged over its inputs when it has several (add).
 */
export function layerInputRates(network: ResolvedNetwork, header: TraceHeader, sample: TraceSample): Record<string, number[]> {
  const tensorRates = tensorNonzeroRates(header, sample);
  const result: Record<string, number[]> = {};

  for (const layer of network.layers) {
    if (layer.isView) continue;
    const sources = layer.inputs.map((input) => {
      const rates = tensorRates.get(sourceTensor(network, input));
      if (!rates) throw new Error(`trace of '${header.networkName}' has no record of '${input}', which layer '${layer.name}' reads`);
      return rates;
    });
    result[layer.name] = Array.from({ length: network.timesteps }, (_, t) => {
      const sum = sources.reduce((total, rates) => total + rates[t], 0);
      return Math.min(1, sum / sources.length);
    });
  }
  return result;
}
