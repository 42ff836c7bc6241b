import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import seedrandom from 'seedrandom';
import type { ResolvedNetwork } from '../spec/network';
import { selectBackend } from './backend';
import { isClassifier } from './classify';
import { findLabel, listEventFiles, sampleIdOf } from './dataset';
import { CaptureError } from './errors';
import { evaluateClassifier, type LabelledFrames } from './evaluate';
import { eventFileToFrames, framesToTensor } from './frames';
import { heInitialWeights } from './init-weights';
import { loadNetworkFile } from './network-file';
import { fastSigmoidSpike } from './neuron';
import { disposePrepared, prepareNetwork, runNetwork, type PreparedNetwork } from './runner';
import { layerNeuron, weightsFromTensors, type NetworkWeights } from './weights';

export interface TrainOptions {
  network: string;
  /** Folder with train/ and test/ folders of recordings and a labels.csv (file,label) for both. */
  dataDir: string;
  epochs: number;
  seed: number;
  batchSize: number;
  learningRate: number;
  /** Event bin width in microseconds; capture uses the same width unless --bin-width-us overrides it. */
  binWidthUs: number;
  /** Steepness of the fast-sigmoid surrogate gradient. */
  surrogateSlope: number;
  /** Largest random shift in pixels applied to each training sample (0 turns augmentation off). */
  maxShift: number;
  backend?: string;
  onEpoch?: (report: EpochReport) => void;
}

export interface EpochReport {
  epoch: number;
  loss: number;
  trainAccuracy: number;
  seconds: number;
}

export interface TrainResult {
  weights: NetworkWeights;
  network: ResolvedNetwork;
  backend: string;
  testAccuracy: number;
  testCorrect: number;
  testSamples: number;
  trainSamples: number;
  epochs: EpochReport[];
  wallSeconds: number;
}

export const TRAIN_DEFAULTS = {
  epochs: 15,
  seed: 1,
  batchSize: 25,
  learningRate: 0.002,
  binWidthUs: 32_000,
  surrogateSlope: 5,
  maxShift: 2,
};

/** Bins every labelled recording of a folder; raises when a recording has no label. */
export function loadLabelledFolder(folder: string, network: ResolvedNetwork, binWidthUs: number): LabelledFrames[] {
  return listEventFiles([folder]).map((file) => {
    const label = findLabel(file);
    if (label === undefined) {
      throw new CaptureError(file, `has no row in a labels.csv beside it or one folder up; training needs a label for every recording`);
    }
    return { id: sampleIdOf(file), frames: eventFileToFrames(file, network, binWidthUs).frames, label };
  });
}

/** Shifts [T][C][H][W] frames by (dy, dx) pixels, filling with zeros. */
export function shiftFrames(frames: Float32Array, planes: number, height: number, width: number, dy: number, dx: number): Float32Array {
  const shifted = new Float32Array(frames.length);
  for (let plane = 0; plane < planes; plane++) {
    const base = plane * height * width;
    for (let y = Math.max(0, dy); y < Math.min(height, height + dy); y++) {
      for (let x = Math.max(0, dx); x < Math.min(width, width + dx); x++) {
        shifted[base + y * width + x] = frames[base + (y - dy) * width + (x - dx)];
      }
    }
  }
  return shifted;
}

/** Fisher-Yates shuffle driven by a seeded generator. */
function shuffledIndices(count: number, random: () => number): number[] {
  const indices = Array.from({ length: count }, (_, i) => i);
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [indices[i], indices[j]] = [indices[j], indices[i]];
  }
  return indices;
}

/** Builds a network whose kernels and biases are the trainable variables themselves, unquantised. */
function trainablePrepared(network: ResolvedNetwork, variables: Map<string, tf.Variable>, weights: NetworkWeights): PreparedNetwork {
  return {
    network,
    layers: network.layers.map((layer) => ({
      layer,
      tensors: { kernel: variables.get(`${layer.name}/kernel`), bias: variables.get(`${layer.name}/bias`) },
      neuron: layerNeuron(layer, weights),
    })),
  };
}

/**
 * Trains a classifying SNN by backpropagation through time with a fast-sigmoid surrogate
 * gradient: cross-entropy on the output spike counts summed over the timesteps, Adam, seeded
 * He initialisation, seeded shuffling and shifts, so that a seed and a backend give the same weights.
 * Test accuracy comes from the inference runner with quantised kernels, as capture runs it.
 */
export async function trainNetwork(options: TrainOptions): Promise<TrainResult> {
  const started = Date.now();
  const backend = await selectBackend(options.backend);
  const { network, specSha256 } = loadNetworkFile(options.network);
  if (!isClassifier(network)) {
    throw new CaptureError(network.name, `cannot be trained: its last layer must have 'classes' outputs of size 1x1`);
  }
  const classes = network.spec.classes!;
  const { timesteps } = network;
  const planes = timesteps * network.input.channels;
  const { height, width } = network.input;

  const train = loadLabelledFolder(path.join(options.dataDir, 'train'), network, options.binWidthUs);
  const test = loadLabelledFolder(path.join(options.dataDir, 'test'), network, options.binWidthUs);

  const initial = heInitialWeights(network, options.seed);
  const variables = new Map<string, tf.Variable>();
  for (const [name, tensor] of Object.entries(initial)) variables.set(name, tf.variable(tensor, true, name));
  tf.dispose(Object.values(initial));

  const metadata = {
    network: network.name,
    networkSpecSha256: specSha256,
    origin: 'trained' as const,
    seed: options.seed,
    backend,
    binWidthUs: options.binWidthUs,
    createdAt: new Date().toISOString(),
    details: {},
  };
  const specWeights: NetworkWeights = { tensors: {}, metadata, sha256: '', source: 'training' };
  const trainable = trainablePrepared(network, variables, specWeights);
  const spikeFunction = fastSigmoidSpike(options.surrogateSlope);
  const optimizer = tf.train.adam(options.learningRate);
  const random = seedrandom(`${options.seed}/training`);
  const epochs: EpochReport[] = [];

  for (let epoch = 1; epoch <= options.epochs; epoch++) {
    const epochStarted = Date.now();
    const order = shuffledIndices(train.length, random);
    let lossSum = 0;
    let correct = 0;
    for (let start = 0; start < order.length; start += options.batchSize) {
      const batch = order.slice(start, start + options.batchSize).map((index) => train[index]);
      const frames = batch.map((sample) => {
        if (options.maxShift === 0) return sample.frames;
        const span = 2 * options.maxShift + 1;
        const dy = Math.floor(random() * span) - options.maxShift;
        const dx = Math.floor(random() * span) - options.maxShift;
        return shiftFrames(sample.frames, planes, height, width, dy, dx);
      });
      const input = framesToTensor(frames, network);
      const labels = tf.oneHot(
        tf.tensor1d(
          batch.map((sample) => sample.label),
          'int32',
        ),
        classes,
      );

      let counts: tf.Tensor2D | null = null;
      const loss = optimizer.minimize(
        () => {
          const output = runNetwork(trainable, input, { timesteps, spikeFunction, convolution: 'trainable' });
          const spikeCounts = output.reshape([timesteps, batch.length, classes]).sum(0) as tf.Tensor2D;
          counts = tf.keep(spikeCounts.clone());
          return tf.losses.softmaxCrossEntropy(labels, spikeCounts) as tf.Scalar;
        },
        true,
        [...variables.values()],
      );
      lossSum += loss!.dataSync()[0] * batch.length;
      const predicted = counts!.argMax(1).dataSync();
      batch.forEach((sample, index) => {
        if (predicted[index] === sample.label) correct++;
      });
      tf.dispose([input, labels, loss!, counts!]);
    }
    const report: EpochReport = {
      epoch,
      loss: lossSum / train.length,
      trainAccuracy: correct / train.length,
      seconds: (Date.now() - epochStarted) / 1000,
    };
    epochs.push(report);
    options.onEpoch?.(report);
  }

  const tensors: tf.NamedTensorMap = {};
  for (const [name, variable] of variables) tensors[name] = variable.clone();
  tf.dispose([...variables.values()]);
  optimizer.dispose();

  const weights = await weightsFromTensors(network, tensors, metadata, 'trained in memory');
  const prepared = prepareNetwork(network, weights);
  const evaluation = evaluateClassifier(prepared, test);
  disposePrepared(prepared);

  const wallSeconds = (Date.now() - started) / 1000;
  weights.metadata.details = {
    epochs: options.epochs,
    batchSize: options.batchSize,
    learningRate: options.learningRate,
    surrogate: `fast sigmoid, slope ${options.surrogateSlope}`,
    maxShiftPixels: options.maxShift,
    trainSamples: train.length,
    testSamples: test.length,
    testCorrect: evaluation.correct,
    testAccuracy: evaluation.accuracy,
    finalTrainAccuracy: epochs.length > 0 ? epochs[epochs.length - 1].trainAccuracy : null,
    wallSeconds,
  };
  return {
    weights,
    network,
    backend,
    testAccuracy: evaluation.accuracy,
    testCorrect: evaluation.correct,
    testSamples: test.length,
    trainSamples: train.length,
    epochs,
    wallSeconds,
  };
}
