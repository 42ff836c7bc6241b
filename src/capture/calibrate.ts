import * as tf from '@tensorflow/tfjs';
import { openEventFile } from '../events';
import type { ResolvedLayer, ResolvedNetwork } from '../spec/network';
import { runNetworkOnArrays } from './array-runner';
import { selectBackend } from './backend';
import { listEventFiles } from './dataset';
import { CaptureError } from './errors';
import { eventFileToFrames, framesToTensor } from './frames';
import { heInitialWeights } from './init-weights';
import { loadNetworkFile } from './network-file';
import type { NeuronParams } from './neuron';
import { stepNeuronsOverTime } from './neuron-loop';
import { disposePrepared, prepareNetwork } from './runner';
import { weightName, weightsFromTensors, type NetworkWeights } from './weights';

export interface CalibrateOptions {
  network: string;
  /** Recordings to calibrate on (files or folders); at most `maxSamples` are used. */
  eventFiles: string[];
  seed: number;
  /** Share of nonzero outputs each layer should reach, e.g. 0.15 for 15%. */
  targetRate: number;
  /** Default: the first recording's span divided by T, rounded up to a whole millisecond, so that the whole recording is binned. */
  binWidthUs?: number;
  maxSamples: number;
  backend?: string;
}

export interface LayerCalibration {
  layer: string;
  threshold: number;
  /** Share of nonzero outputs on the calibration samples with this threshold. */
  rate: number;
}

export interface CalibrationResult {
  weights: NetworkWeights;
  network: ResolvedNetwork;
  backend: string;
  layers: LayerCalibration[];
  files: string[];
  wallSeconds: number;
}

export const CALIBRATE_DEFAULTS = { seed: 1, targetRate: 0.15, maxSamples: 4 };

/** Bisection steps on log(threshold); 40 halvings of a 10^9 range reach a relative step below 1e-3. */
const BISECTION_STEPS = 40;
const RATE_TOLERANCE = 0.002;

/** Share of nonzero outputs that a threshold gives on a layer's synaptic input. */
function rateAt(current: Float32Array, neuron: NeuronParams, threshold: number, timesteps: number, batch: number): number {
  if (neuron.model === 'none') {
    // The quantised ReLU is nonzero exactly where the input reaches the step (the threshold).
    let count = 0;
    for (let i = 0; i < current.length; i++) if (current[i] >= threshold) count++;
    return count / current.length;
  }
  const { spikes } = stepNeuronsOverTime(current, { ...neuron, threshold }, timesteps, batch);
  let count = 0;
  for (let i = 0; i < spikes.length; i++) count += spikes[i];
  return count / spikes.length;
}

/**
 * Finds the threshold at which a layer's share of nonzero outputs is closest to the target, by
 * bisection on log(threshold): the rate falls as the threshold rises. The bracket runs from the
 * largest charge a neuron can collect (T times the largest input) down by a factor of 10^9.
 */
export function calibrateThreshold(
  current: Float32Array,
  neuron: NeuronParams,
  targetRate: number,
  timesteps: number,
  batch: number,
): LayerCalibration & { reachable: boolean } {
  let largest = 0;
  for (let i = 0; i < current.length; i++) if (current[i] > largest) largest = current[i];
  if (largest <= 0) {
    return { layer: '', threshold: neuron.threshold, rate: 0, reachable: false };
  }

  let high = Math.log(largest * (neuron.model === 'none' ? 1 : timesteps) * 2);
  let low = high - Math.log(1e9);
  const highest = Math.fround(Math.exp(high));
  let best = { threshold: highest, rate: rateAt(current, neuron, highest, timesteps, batch) };
  for (let step = 0; step < BISECTION_STEPS; step++) {
    const middle = (low + high) / 2;
    const threshold = Math.fround(Math.exp(middle));
    const rate = rateAt(current, neuron, threshold, timesteps, batch);
    if (Math.abs(rate - targetRate) < Math.abs(best.rate - targetRate)) best = { threshold, rate };
    if (Math.abs(rate - targetRate) <= RATE_TOLERANCE) break;
    if (rate > targetRate) low = middle;
    else high = middle;
  }
  return { layer: '', threshold: best.threshold, rate: best.rate, reachable: true };
}

/** Span of a recording from its first to its last event, in microseconds. */
export function recordingSpanUs(file: string): number {
  const reader = openEventFile(file);
  for (const _chunk of reader.chunks()) {
    // Reading the chunks fills the reader's first and last timestamps.
  }
  const span = reader.stats.lastTimestampUs - reader.stats.firstTimestampUs;
  if (!(span > 0)) throw new CaptureError(file, 'has fewer than two distinct event times; calibration needs a recording with events over time');
  return span;
}

/**
 * Makes weights for a network that has none trained: seeded He initialisation, then, layer by
 * layer in spec order, the threshold that brings the layer's share of nonzero outputs on real
 * recordings to the target (layers downstream see the calibrated outputs of the layers before).
 * The result is labelled "calibrated, not trained": its spikes have realistic rates but carry no task.
 */
export async function calibrateNetwork(options: CalibrateOptions): Promise<CalibrationResult> {
  const started = Date.now();
  const backend = await selectBackend(options.backend);
  const { network, specSha256 } = loadNetworkFile(options.network);
  if (!(options.targetRate > 0 && options.targetRate < 1)) {
    throw new RangeError(`target firing rate must lie between 0 and 1, got ${options.targetRate}`);
  }
  const files = listEventFiles(options.eventFiles).slice(0, options.maxSamples);
  const binWidthUs = options.binWidthUs ?? Math.ceil(recordingSpanUs(files[0]) / network.timesteps / 1000) * 1000;

  const tensors = heInitialWeights(network, options.seed);
  const metadata = {
    network: network.name,
    networkSpecSha256: specSha256,
    origin: 'calibrated, not trained' as const,
    seed: options.seed,
    backend,
    binWidthUs,
    createdAt: new Date().toISOString(),
    details: {},
  };
  const initial = await weightsFromTensors(network, tensors, metadata, 'initialised in memory');
  const prepared = prepareNetwork(network, initial);
  const frames = files.map((file) => eventFileToFrames(file, network, binWidthUs).frames);
  const input = framesToTensor(frames, network);
  const layers: LayerCalibration[] = [];
  const unreachable: string[] = [];

  try {
    runNetworkOnArrays(prepared, input, {
      timesteps: network.timesteps,
      batch: files.length,
      chooseNeuron: (layer: ResolvedLayer, current, neuron) => {
        const result = calibrateThreshold(current, neuron, options.targetRate, network.timesteps, files.length);
        if (!result.reachable) unreachable.push(layer.name);
        layers.push({ layer: layer.name, threshold: result.threshold, rate: result.rate });
        return { ...neuron, threshold: result.threshold };
      },
      onLayer: () => {},
    });
  } finally {
    input.dispose();
    disposePrepared(prepared);
  }

  for (const { layer, threshold } of layers) tensors[weightName(layer, 'threshold')] = tf.scalar(threshold);
  metadata.details = {
    targetRate: options.targetRate,
    calibrationFiles: files.map((file) => file.split(/[\\/]/).pop()),
    layerRates: Object.fromEntries(layers.map(({ layer, rate }) => [layer, Number(rate.toFixed(4))])),
    // NOTE: a layer whose synaptic input never exceeds 0 on the calibration recordings keeps the spec's threshold and stays silent.
    layersWithoutInput: unreachable,
  };
  const weights = await weightsFromTensors(network, tensors, metadata, 'calibrated in memory');
  return { weights, network, backend, layers, files, wallSeconds: (Date.now() - started) / 1000 };
}
