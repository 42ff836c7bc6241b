import type { NeuronParams } from './neuron';

/** Spikes and membrane-potential statistics of one layer over all timesteps. */
export interface NeuronLoopResult {
  /** 0 or 1 per neuron, laid out like the input current: [T][B][neurons per sample]. */
  spikes: Float32Array;
  /** Per timestep and sample ([T][B]): the smallest and largest potential after the timestep's reset. */
  minPotential: Float32Array;
  maxPotential: Float32Array;
  /** Per timestep and sample: neurons whose potential after the timestep differs from the previous one (initialState before t = 0). */
  changedCount: Uint32Array;
}

/**
 * Steps spiking neurons through the timesteps in plain TypeScript, with the same float32
 * arithmetic as `neuronStep` (every product and sum rounded by Math.fround):
 *   v = decay * v_prev + input; spike = (v >= threshold); then subtract the threshold or set
 *   resetValue after a spike. A stateless layer starts every timestep from initialState.
 * Capture uses this loop because one pass over a Float32Array is many times faster than the
 * dozen tfjs element-wise ops per timestep, and it yields the state statistics in the same pass.
 *
 * `current` is [T][B][neuronsPerSample].
 * NOTE: potentials stay float32; the spec's stateBits and partialSumBits are not applied to them.
 */
export function stepNeuronsOverTime(
  current: Float32Array,
  neuron: NeuronParams,
  timesteps: number,
  batch: number,
): NeuronLoopResult {
  const neuronsPerSample = current.length / (timesteps * batch);
  if (!Number.isInteger(neuronsPerSample)) {
    throw new RangeError(`current has ${current.length} values, not a multiple of T*B = ${timesteps * batch}`);
  }
  const decay = Math.fround(neuron.decay);
  const threshold = Math.fround(neuron.threshold);
  const resetValue = Math.fround(neuron.resetValue);
  const initialState = Math.fround(neuron.initialState);
  const subtract = neuron.reset === 'subtract';
  const stateful = neuron.stateful;

  const neurons = batch * neuronsPerSample;
  const potential = new Float32Array(neurons).fill(initialState);
  const spikes = new Float32Array(current.length);
  const minPotential = new Float32Array(timesteps * batch);
  const maxPotential = new Float32Array(timesteps * batch);
  const changedCount = new Uint32Array(timesteps * batch);

  for (let t = 0; t < timesteps; t++) {
    for (let b = 0; b < batch; b++) {
      const sample = t * batch + b;
      const offset = sample * neuronsPerSample;
      const stateOffset = b * neuronsPerSample;
      let min = Infinity;
      let max = -Infinity;
      let changed = 0;
      for (let i = 0; i < neuronsPerSample; i++) {
        const previous = potential[stateOffset + i];
        const start = stateful ? previous : initialState;
        const charged = Math.fround(Math.fround(start * decay) + current[offset + i]);
        let after = charged;
        if (charged >= threshold) {
          spikes[offset + i] = 1;
          after = subtract ? Math.fround(charged - threshold) : resetValue;
        }
        if (after < min) min = after;
        if (after > max) max = after;
        if (after !== previous) changed++;
        potential[stateOffset + i] = after;
      }
      minPotential[sample] = min;
      maxPotential[sample] = max;
      changedCount[sample] = changed;
    }
  }
  return { spikes, minPotential, maxPotential, changedCount };
}
