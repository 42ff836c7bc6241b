import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { ResolvedLayer, ResolvedNetwork } from '../spec/network';
import { CaptureError } from './errors';
import { sha256Hex } from './network-file';
import type { NeuronParams } from './neuron';

/** The `format` field of model.json; the tensors follow the TensorFlow.js weights manifest layout. */
export const WEIGHTS_FORMAT = 'stemsim-snn-weights';
export const MODEL_JSON_FILE = 'model.json';
export const WEIGHTS_BIN_FILE = 'weights.bin';

/** Origin of the weights. Untrained weights are labelled in every trace and CLI output. */
export type WeightsOrigin = 'trained' | 'calibrated, not trained';

export interface WeightsMetadata {
  network: string;
  /** SHA-256 of the network spec file the weights were made for. */
  networkSpecSha256: string;
  origin: WeightsOrigin;
  seed: number;
  /** TensorFlow.js backend that trained or calibrated the weights. */
  backend: string;
  /** Width of one timestep's event bin in microseconds, as used in training or calibration. */
  binWidthUs: number;
  /** ISO 8601 time of creation. */
  createdAt: string;
  /** Training or calibration figures (accuracy, epochs, firing-rate target), as JSON values. */
  details: Record<string, unknown>;
}

/**
 * The parameters of a network: per layer `<layer>/kernel` ([FY, FX, C, K] for conv2d, [C, K] for
 * dense, with dense inputs in (channel, row, column) order), optional `<layer>/bias` [K], and
 * optional scalars `<layer>/threshold` and `<layer>/decay` that replace the spec's values.
 */
export interface NetworkWeights {
  tensors: tf.NamedTensorMap;
  metadata: WeightsMetadata;
  /** SHA-256 of the weights.bin bytes (the tf.io.encodeWeights encoding of `tensors`). */
  sha256: string;
  /** Folder the weights were loaded from, or a description such as 'calibrated in memory'. */
  source: string;
}

const PARAMETER_KINDS = ['kernel', 'bias', 'threshold', 'decay'] as const;
type ParameterKind = (typeof PARAMETER_KINDS)[number];

export function weightName(layer: string, kind: ParameterKind): string {
  return `${layer}/${kind}`;
}

export function kernelShape(layer: ResolvedLayer): number[] {
  const d = layer.dims;
  return layer.type === 'conv2d' ? [d.FY, d.FX, d.C, d.K] : [d.C, d.K];
}

/** Shapes that each parameter of the layer must have; kinds the layer cannot have are absent. */
function allowedShapes(layer: ResolvedLayer): Partial<Record<ParameterKind, number[]>> {
  const shapes: Partial<Record<ParameterKind, number[]>> = {};
  if (layer.hasWeights) {
    shapes.kernel = kernelShape(layer);
    shapes.bias = [layer.dims.K];
  }
  if (layer.neuron.model !== 'none' || layer.hasWeights) shapes.threshold = [];
  if (layer.neuron.model === 'plif') shapes.decay = [];
  return shapes;
}

/**
 * Checks that the tensors fit the network: every conv2d and dense layer has a kernel, every
 * tensor belongs to a layer and has the expected shape, thresholds are positive and decays in [0, 1].
 */
export function checkWeights(network: ResolvedNetwork, tensors: tf.NamedTensorMap, source: string): void {
  const known = new Set<string>();
  for (const layer of network.layers) {
    const shapes = allowedShapes(layer);
    for (const kind of PARAMETER_KINDS) {
      const name = weightName(layer.name, kind);
      const expected = shapes[kind];
      if (expected) known.add(name);
      const tensor = tensors[name];
      if (!tensor) {
        if (kind === 'kernel' && expected) {
          throw new CaptureError(
            source,
            `no tensor '${name}' for ${layer.type} layer '${layer.name}' of network '${network.name}' ` +
              `(expected shape [${expected.join(', ')}]); are these the weights of another network?`,
          );
        }
        continue;
      }
      if (!expected) continue;
      if (tensor.shape.length !== expected.length || tensor.shape.some((size, axis) => size !== expected[axis])) {
        throw new CaptureError(
          source,
          `tensor '${name}' has shape [${tensor.shape.join(', ')}] but layer '${layer.name}' of network ` +
            `'${network.name}' needs [${expected.join(', ')}]; retrain or recalibrate for this spec`,
        );
      }
    }
  }
  for (const name of Object.keys(tensors)) {
    if (!known.has(name)) {
      throw new CaptureError(source, `tensor '${name}' matches no parameter of network '${network.name}'; are these the weights of another network?`);
    }
  }
  for (const layer of network.layers) {
    const threshold = tensors[weightName(layer.name, 'threshold')];
    if (threshold && !(threshold.dataSync()[0] > 0)) {
      throw new CaptureError(source, `threshold of layer '${layer.name}' is ${threshold.dataSync()[0]}; it must be positive`);
    }
    const decay = tensors[weightName(layer.name, 'decay')];
    if (decay && !(decay.dataSync()[0] >= 0 && decay.dataSync()[0] <= 1)) {
      throw new CaptureError(source, `decay of layer '${layer.name}' is ${decay.dataSync()[0]}; it must lie in [0, 1]`);
    }
  }
}

/** Returns the layer's neuron with the threshold and decay from the weights where they set them. */
export function layerNeuron(layer: ResolvedLayer, weights: NetworkWeights): NeuronParams {
  const threshold = weights.tensors[weightName(layer.name, 'threshold')];
  const decay = weights.tensors[weightName(layer.name, 'decay')];
  return {
    ...layer.neuron,
    threshold: threshold ? threshold.dataSync()[0] : layer.neuron.threshold,
    decay: decay ? decay.dataSync()[0] : layer.neuron.decay,
  };
}

/** Encodes the tensors in layer order, so that equal weights always give equal bytes. */
export async function encodeNetworkWeights(
  network: ResolvedNetwork,
  tensors: tf.NamedTensorMap,
): Promise<{ data: Uint8Array; specs: tf.io.WeightsManifestEntry[] }> {
  const ordered: tf.NamedTensorMap = {};
  for (const layer of network.layers) {
    for (const kind of PARAMETER_KINDS) {
      const name = weightName(layer.name, kind);
      if (tensors[name]) ordered[name] = tensors[name];
    }
  }
  const { data, specs } = await tf.io.encodeWeights(ordered);
  return { data: new Uint8Array(data), specs };
}

/** Builds NetworkWeights from tensors held in memory, hashing their encoding as weights.bin would hold it. */
export async function weightsFromTensors(
  network: ResolvedNetwork,
  tensors: tf.NamedTensorMap,
  metadata: WeightsMetadata,
  source: string,
): Promise<NetworkWeights> {
  checkWeights(network, tensors, source);
  const { data } = await encodeNetworkWeights(network, tensors);
  return { tensors, metadata, sha256: sha256Hex(data), source };
}

/**
 * Writes model.json and weights.bin in the TensorFlow.js weights format. model.json contains a
 * weights manifest (paths, names, shapes, dtypes) and the stemsim metadata, and weights.bin the float32 data.
 */
export async function saveWeights(folder: string, network: ResolvedNetwork, weights: NetworkWeights): Promise<void> {
  const { data, specs } = await encodeNetworkWeights(network, weights.tensors);
  const modelJson: tf.io.ModelJSON = {
    format: WEIGHTS_FORMAT,
    generatedBy: `stemsim ${require('../../package.json').version}`,
    convertedBy: null,
    modelTopology: { network: network.name, layers: network.layers.map((layer) => layer.name) },
    weightsManifest: [{ paths: [WEIGHTS_BIN_FILE], weights: specs }],
    userDefinedMetadata: { stemsim: weights.metadata as unknown as Record<string, unknown> },
  };
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(path.join(folder, WEIGHTS_BIN_FILE), data);
  fs.writeFileSync(path.join(folder, MODEL_JSON_FILE), JSON.stringify(modelJson, null, 2) + '\n');
}

function readModelJson(folder: string): tf.io.ModelJSON {
  const file = path.join(folder, MODEL_JSON_FILE);
  if (!fs.existsSync(file)) {
    throw new CaptureError(folder, `no ${MODEL_JSON_FILE}; give a folder written by 'stemsim train' or 'stemsim calibrate'`);
  }
  let modelJson: tf.io.ModelJSON;
  try {
    modelJson = JSON.parse(fs.readFileSync(file, 'utf8')) as tf.io.ModelJSON;
  } catch (error) {
    throw new CaptureError(file, `is not valid JSON: ${(error as Error).message}`);
  }
  if (modelJson.format !== WEIGHTS_FORMAT) {
    throw new CaptureError(file, `format is '${modelJson.format}', expected '${WEIGHTS_FORMAT}'; this is not a stemsim weights folder`);
  }
  if (!Array.isArray(modelJson.weightsManifest)) {
    throw new CaptureError(file, 'has no weightsManifest array');
  }
  return modelJson;
}

/** Loads model.json and weights.bin from a folder and checks them against the network. */
export async function loadWeights(folder: string, network: ResolvedNetwork): Promise<NetworkWeights> {
  const modelJson = readModelJson(folder);
  const metadata = modelJson.userDefinedMetadata?.stemsim as WeightsMetadata | undefined;
  if (!metadata) {
    throw new CaptureError(path.join(folder, MODEL_JSON_FILE), 'has no userDefinedMetadata.stemsim block (origin, seed, bin width)');
  }
  if (metadata.network !== network.name) {
    throw new CaptureError(folder, `contains weights of network '${metadata.network}', not '${network.name}'; pass the matching --weights folder`);
  }

  const chunks: Uint8Array[] = [];
  const artifacts = await tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => {
    const specs: tf.io.WeightsManifestEntry[] = [];
    for (const group of manifest) {
      specs.push(...group.weights);
      for (const relative of group.paths) {
        const file = path.join(folder, relative);
        if (!fs.existsSync(file)) throw new CaptureError(folder, `weights file '${relative}' named in ${MODEL_JSON_FILE} is missing`);
        chunks.push(fs.readFileSync(file));
      }
    }
    const data = Buffer.concat(chunks);
    return [specs, data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength)];
  });

  const nonFloat = artifacts.weightSpecs!.find((spec) => spec.dtype !== 'float32' || spec.quantization !== undefined);
  if (nonFloat) {
    throw new CaptureError(folder, `tensor '${nonFloat.name}' is stored as ${nonFloat.quantization ? 'quantised ' : ''}${nonFloat.dtype}; stemsim weights are float32`);
  }
  const expectedBytes = artifacts.weightSpecs!.reduce((sum, spec) => sum + 4 * spec.shape.reduce((a, b) => a * b, 1), 0);
  const actualBytes = chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0);
  if (expectedBytes !== actualBytes) {
    throw new CaptureError(folder, `${WEIGHTS_BIN_FILE} has ${actualBytes} bytes but the manifest describes ${expectedBytes}; the folder is incomplete or corrupt`);
  }

  const tensors = tf.io.decodeWeights(artifacts.weightData!, artifacts.weightSpecs!);
  checkWeights(network, tensors, folder);
  return { tensors, metadata, sha256: sha256Hex(Buffer.concat(chunks)), source: folder };
}

export function disposeWeights(weights: NetworkWeights): void {
  tf.dispose(Object.values(weights.tensors));
}
