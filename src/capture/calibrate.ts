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

export interface LayerCalibration extends ThresholdChoice {
  layer: string;
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

/** Bisection steps on log(threshold); 30 halvings of the 10^4 bracket reach a relative step below 1e-5. */
const BISECTION_STEPS = 30;
/** The search stops once the rate is this close to the target. */
const RATE_TOLERANCE = 0.002;
/** A layer whose best rate misses the target by more than this is reported as not reaching it. */
const REACHED_TOLERANCE = 0.01;
/** Lowest threshold tried, relative to the largest charge: any lower one fires on nearly every positive input. */
const BRACKET_RATIO = 1e4;

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

export interface ThresholdChoice {
  threshold: number;
  /** Share of nonzero outputs with this threshold. */
  rate: number;
  /** false when no threshold in the bracket brings the rate within 0.01 of the target, as in a layer whose input is sparser than the target. */
  reachedTarget: boolean;
}

/**
 * Finds the threshold at which a layer's share of nonzero outputs is closest to the target, by
 * bisection on log(threshold): the rate falls as the threshold rises. The bracket runs from twice
 * the largest charge a neuron can collect (T times the largest input) down by a factor of 10^4.
 * A layer whose input is never positive keeps the spec's threshold and stays silent.
 */
export function calibrateThreshold(
  current: Float32Array,
  neuron: NeuronParams,
  targetRate: number,
  timesteps: number,
  batch: number,
): ThresholdChoice {
  let largest = 0;
  for (let i = 0; i < current.length; i++) if (current[i] > largest) largest = current[i];
  if (largest <= 0) return { threshold: neuron.threshold, rate: 0, reachedTarget: false };

  let high = Math.log(largest * (neuron.model === 'none' ? 1 : timesteps) * 2);
  let low = high - Math.log(BRACKET_RATIO);
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
  return { ...best, reachedTarget: Math.abs(best.rate - targetRate) <= REACHED_TOLERANCE };
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
 * Makes weights for a network that has none trained. It starts from a seeded He initialisation.
 * Then, layer by layer in spec order, it sets the threshold that brings the layer's share of
 * nonzero outputs on real recordings to the target, so layers downstream see calibrated inputs.
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

  try {
    runNetworkOnArrays(prepared, input, {
      timesteps: network.timesteps,
      batch: files.length,
      chooseNeuron: (layer: ResolvedLayer, current, neuron) => {
        const choice = calibrateThreshold(current, neuron, options.targetRate, network.timesteps, files.length);
        layers.push({ layer: layer.name, ...choice });
        return { ...neuron, threshold: choice.threshold };
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
    layersBelowTarget: layers.filter((layer) => !layer.reachedTarget).map((layer) => layer.layer),
  };
  const weights = await weightsFromTensors(network, tensors, metadata, 'calibrated in memory');
  return { weights, network, backend, layers, files, wallSeconds: (Date.now() - started) / 1000 };
}
