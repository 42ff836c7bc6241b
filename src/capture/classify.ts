import type { ResolvedNetwork } from '../spec/network';

/** True when the network's last layer has one output per class, so that its spike counts classify. */
export function isClassifier(network: ResolvedNetwork): boolean {
  const classes = network.spec.classes;
  const last = network.layers[network.layers.length - 1];
  return classes !== undefined && last.outputShape.channels === classes && last.outputShape.height === 1 && last.outputShape.width === 1;
}

/**
 * Sums a classifier's output ([T][B][classes]) over the timesteps: the spike count of every
 * class for every sample, [B][classes].
 */
export function sumOverTimesteps(values: Float32Array, timesteps: number, batch: number, classes: number): Float64Array {
  const sums = new Float64Array(batch * classes);
  for (let t = 0; t < timesteps; t++) {
    for (let i = 0; i < batch * classes; i++) sums[i] += values[t * batch * classes + i];
  }
  return sums;
}

/**
 * Predicts the class of each sample: the class with the most output spikes. Ties go to the
 * class with the larger synaptic input summed over the timesteps, then to the lower index.
 */
export function predictClasses(spikeCounts: Float64Array, inputSums: Float64Array, batch: number, classes: number): number[] {
  const predictions: number[] = [];
  for (let b = 0; b < batch; b++) {
    let best = 0;
    for (let k = 1; k < classes; k++) {
      const i = b * classes + k;
      const j = b * classes + best;
      if (spikeCounts[i] > spikeCounts[j] || (spikeCounts[i] === spikeCounts[j] && inputSums[i] > inputSums[j])) best = k;
    }
    predictions.push(best);
  }
  return predictions;
}
