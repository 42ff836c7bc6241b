import * as tf from '@tensorflow/tfjs';
import seedrandom from 'seedrandom';
import { selectBackend } from '../../src/capture/backend';
import { fastSigmoidSpike, neuronStep, quantisedRelu, type NeuronParams } from '../../src/capture/neuron';
import { stepNeuronsOverTime } from '../../src/capture/neuron-loop';

const LIF: NeuronParams = {
  model: 'lif',
  threshold: 1,
  decay: 0.8,
  reset: 'subtract',
  resetValue: 0,
  initialState: 0,
  stateful: true,
};

function randomCurrent(seed: string, length: number, scale: number): Float32Array {
  const random = seedrandom(seed);
  const values = new Float32Array(length);
  for (let i = 0; i < length; i++) values[i] = (random() * 2 - 0.6) * scale;
  return values;
}

/** Steps `neuronStep` (tfjs) through time and returns spikes and potentials, [T][N] each. */
function runTfjs(current: Float32Array, neuron: NeuronParams, timesteps: number): { spikes: Float32Array; potentials: Float32Array } {
  const neurons = current.length / timesteps;
  const spikes = new Float32Array(current.length);
  const potentials = new Float32Array(current.length);
  let potential = tf.fill([neurons], neuron.initialState);
  for (let t = 0; t < timesteps; t++) {
    const input = tf.tensor1d(current.subarray(t * neurons, (t + 1) * neurons));
    const step = neuronStep(potential, input, neuron);
    spikes.set(step.spikes.dataSync(), t * neurons);
    potentials.set(step.potential.dataSync(), t * neurons);
    tf.dispose([potential, input, step.spikes]);
    potential = step.potential;
  }
  potential.dispose();
  return { spikes, potentials };
}

/**
 * Plain TypeScript reference of one timestep, neuron by neuron, rounding every product and sum
 * to float32 as tfjs does: v = decay * v_prev + input; spike when v >= threshold; then reset.
 */
function referenceStep(previous: Float32Array, input: Float32Array, neuron: NeuronParams): { potential: Float32Array; spikes: Float32Array } {
  const potential = new Float32Array(previous.length);
  const spikes = new Float32Array(previous.length);
  const threshold = Math.fround(neuron.threshold);
  for (let i = 0; i < previous.length; i++) {
    const start = neuron.stateful ? previous[i] : Math.fround(neuron.initialState);
    const charged = Math.fround(Math.fround(start * Math.fround(neuron.decay)) + input[i]);
    const spike = charged >= threshold;
    spikes[i] = spike ? 1 : 0;
    if (!spike) potential[i] = charged;
    else potential[i] = neuron.reset === 'subtract' ? charged - threshold : neuron.resetValue;
  }
  return { potential, spikes };
}

function runReference(current: Float32Array, neuron: NeuronParams, timesteps: number): { spikes: Float32Array; potentials: Float32Array } {
  const neurons = current.length / timesteps;
  const spikes = new Float32Array(current.length);
  const potentials = new Float32Array(current.length);
  let potential: Float32Array = new Float32Array(neurons).fill(neuron.initialState);
  for (let t = 0; t < timesteps; t++) {
    const step = referenceStep(potential, current.subarray(t * neurons, (t + 1) * neurons), neuron);
    spikes.set(step.spikes, t * neurons);
    potentials.set(step.potential, t * neurons);
    potential = step.potential;
  }
  return { spikes, potentials };
}

beforeAll(async () => {
  await selectBackend('wasm');
});

describe('neuron step, tfjs against a TypeScript reference', () => {
  const timesteps = 12;
  const neurons = 4096;
  const cases: Array<[string, NeuronParams]> = [
    ['LIF, subtract reset', LIF],
    ['LIF, reset to value', { ...LIF, reset: 'zero', resetValue: 0.25 }],
    ['IF (no leak)', { ...LIF, model: 'if', decay: 1 }],
    ['strong leak, high threshold', { ...LIF, decay: 0.3, threshold: 1.7 }],
    ['nonzero initial state', { ...LIF, initialState: 0.4 }],
    ['stateless layer', { ...LIF, stateful: false, initialState: 0.1 }],
    ['PLIF decay, reset to zero', { ...LIF, model: 'plif', decay: 0.5, reset: 'zero' }],
  ];

  test.each(cases)('%s', (name, neuron) => {
    const current = randomCurrent(`current/${name}`, timesteps * neurons, 1.2);
    const viaTfjs = runTfjs(current, neuron, timesteps);
    const reference = runReference(current, neuron, timesteps);

    let spikeMismatches = 0;
    let largestError = 0;
    for (let i = 0; i < current.length; i++) {
      if (viaTfjs.spikes[i] !== reference.spikes[i]) spikeMismatches++;
      largestError = Math.max(largestError, Math.abs(viaTfjs.potentials[i] - reference.potentials[i]));
    }
    expect(spikeMismatches).toBe(0);
    expect(largestError).toBeLessThanOrEqual(1e-6);

    const spikeCount = reference.spikes.reduce((a, b) => a + b, 0);
    expect(spikeCount).toBeGreaterThan(0.02 * current.length);
    expect(spikeCount).toBeLessThan(0.9 * current.length);
  });

  test.each(cases)('capture loop equals the reference: %s', (name, neuron) => {
    const current = randomCurrent(`loop/${name}`, timesteps * neurons, 1.2);
    const reference = runReference(current, neuron, timesteps);
    const loop = stepNeuronsOverTime(current, neuron, timesteps, 1);

    expect(Buffer.from(loop.spikes.buffer).equals(Buffer.from(reference.spikes.buffer))).toBe(true);
    let previous: Float32Array = new Float32Array(neurons).fill(neuron.initialState);
    for (let t = 0; t < timesteps; t++) {
      const step = reference.potentials.subarray(t * neurons, (t + 1) * neurons);
      expect(loop.minPotential[t]).toBe(step.reduce((a, b) => Math.min(a, b), Infinity));
      expect(loop.maxPotential[t]).toBe(step.reduce((a, b) => Math.max(a, b), -Infinity));
      expect(loop.changedCount[t]).toBe(step.filter((value, i) => value !== previous[i]).length);
      previous = step;
    }
  });
});

describe('TypeScript neuron loop', () => {
  test('LIF trace by hand', () => {
    // decay 0.5, threshold 1: v = 0.6, 0.9, 1.05 (spike, v = 0.05), 0.625, 0.9125.
    const current = new Float32Array([0.6, 0.6, 0.6, 0.6, 0.6]);
    const result = stepNeuronsOverTime(current, { ...LIF, decay: 0.5 }, 5, 1);
    expect(Array.from(result.spikes)).toEqual([0, 0, 1, 0, 0]);
    expect(result.maxPotential[2]).toBeCloseTo(0.05, 6);
    expect(result.maxPotential[4]).toBeCloseTo(0.9125, 6);
    expect(Array.from(result.changedCount)).toEqual([1, 1, 1, 1, 1]);
  });

  test('reset to value and unchanged state', () => {
    // IF with threshold 1 and resetValue 0.2: input 1.5 spikes and leaves 0.2; input 0 keeps 0.2.
    const current = new Float32Array([1.5, 0, 0]);
    const result = stepNeuronsOverTime(current, { ...LIF, model: 'if', decay: 1, reset: 'zero', resetValue: 0.2 }, 3, 1);
    expect(Array.from(result.spikes)).toEqual([1, 0, 0]);
    expect(result.minPotential[1]).toBeCloseTo(0.2, 6);
    expect(Array.from(result.changedCount)).toEqual([1, 0, 0]);
  });

  test('stateless layer forgets between timesteps', () => {
    // Each step starts from 0, so 0.7 per step never reaches 1.
    const result = stepNeuronsOverTime(new Float32Array([0.7, 0.7, 0.7]), { ...LIF, decay: 1, stateful: false }, 3, 1);
    expect(Array.from(result.spikes)).toEqual([0, 0, 0]);
    expect(result.maxPotential[2]).toBeCloseTo(0.7, 6);
  });

  test('samples in a batch are independent', () => {
    const single = randomCurrent('batch', 4 * 100, 1.5);
    const alone = stepNeuronsOverTime(single, LIF, 4, 1);
    // Interleave the sample with a zero sample: [T][B=2][N].
    const batched = new Float32Array(4 * 2 * 100);
    for (let t = 0; t < 4; t++) batched.set(single.subarray(t * 100, (t + 1) * 100), (t * 2 + 1) * 100);
    const together = stepNeuronsOverTime(batched, LIF, 4, 2);
    for (let t = 0; t < 4; t++) {
      expect(Array.from(together.spikes.subarray((t * 2 + 1) * 100, (t * 2 + 2) * 100))).toEqual(Array.from(alone.spikes.subarray(t * 100, (t + 1) * 100)));
      expect(together.changedCount[t * 2]).toBe(0);
    }
  });
});

describe('spike function and activation', () => {
  test('fast-sigmoid surrogate gradient', () => {
    const spike = fastSigmoidSpike(5);
    const x = tf.tensor1d([-1, -0.2, 0, 0.3, 2]);
    const gradient = tf.grad((input: tf.Tensor) => spike(input).sum())(x).dataSync();
    const expected = [-1, -0.2, 0, 0.3, 2].map((value) => 1 / (1 + 5 * Math.abs(value)) ** 2);
    expected.forEach((value, i) => expect(gradient[i]).toBeCloseTo(value, 6));
    expect(Array.from(spike(x).dataSync())).toEqual([0, 0, 1, 1, 1]);
  });

  test('quantised ReLU levels', () => {
    const levels = quantisedRelu(tf.tensor1d([-3, 0.2, 0.5, 1.49, 7.9, 100]), 0.5, 4).dataSync();
    expect(Array.from(levels)).toEqual([0, 0, 1, 2, 15, 15]);
  });
});
