import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../src/capture/backend';
import { CaptureError } from '../../src/capture/errors';
import { loadNetworkFile, sha256Hex } from '../../src/capture/network-file';
import { MODEL_JSON_FILE, WEIGHTS_BIN_FILE, checkWeights, loadWeights, weightName } from '../../src/capture/weights';
import { initialWeightsFolder, temporaryFolder } from './helpers';

let folder: string;
const { network } = loadNetworkFile('nmnist-snn');

beforeAll(async () => {
  await selectBackend('wasm');
  folder = await initialWeightsFolder('nmnist-snn', 11, 32_000);
});

describe('weights folder', () => {
  test('loads back what was saved', async () => {
    const weights = await loadWeights(folder, network);
    expect(Object.keys(weights.tensors)).toEqual(['conv1/kernel', 'conv1/bias', 'conv2/kernel', 'conv2/bias', 'fc/kernel', 'fc/bias']);
    expect(weights.tensors['conv2/kernel'].shape).toEqual([3, 3, 16, 32]);
    expect(weights.tensors['fc/kernel'].shape).toEqual([2048, 10]);
    expect(weights.sha256).toBe(sha256Hex(fs.readFileSync(path.join(folder, WEIGHTS_BIN_FILE))));
    expect(weights.metadata.seed).toBe(11);
    expect(weights.metadata.binWidthUs).toBe(32_000);
    // He initialisation: standard deviation sqrt(2 / fanIn), fanIn = 16 * 3 * 3 for conv2.
    const kernel = weights.tensors['conv2/kernel'];
    const deviation = Math.sqrt(tf.mean(tf.square(kernel)).dataSync()[0]);
    expect(deviation).toBeGreaterThan(0.95 * Math.sqrt(2 / 144));
    expect(deviation).toBeLessThan(1.05 * Math.sqrt(2 / 144));
  });

  test('standard TensorFlow.js loaders read the files', async () => {
    const modelJson = JSON.parse(fs.readFileSync(path.join(folder, MODEL_JSON_FILE), 'utf8')) as tf.io.ModelJSON;
    expect(modelJson.weightsManifest[0].paths).toEqual([WEIGHTS_BIN_FILE]);
    const data = fs.readFileSync(path.join(folder, WEIGHTS_BIN_FILE));
    const artifacts = tf.io.getModelArtifactsForJSONSync(modelJson, modelJson.weightsManifest[0].weights, data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
    const tensors = tf.io.decodeWeights(artifacts.weightData!, artifacts.weightSpecs!);
    const ours = await loadWeights(folder, network);
    expect(Array.from(tensors['conv1/kernel'].dataSync())).toEqual(Array.from(ours.tensors['conv1/kernel'].dataSync()));
  });

  test('same seed gives the same bytes, another seed other bytes', async () => {
    const again = await initialWeightsFolder('nmnist-snn', 11, 32_000);
    const other = await initialWeightsFolder('nmnist-snn', 12, 32_000);
    const bytes = (dir: string) => fs.readFileSync(path.join(dir, WEIGHTS_BIN_FILE));
    expect(bytes(again).equals(bytes(folder))).toBe(true);
    expect(bytes(other).equals(bytes(folder))).toBe(false);
  });

  test('a folder of another format is rejected', async () => {
    const other = temporaryFolder('not-weights');
    fs.writeFileSync(path.join(other, MODEL_JSON_FILE), JSON.stringify({ format: 'layers-model', weightsManifest: [] }));
    await expect(loadWeights(other, network)).rejects.toThrow(
      `${path.join(other, MODEL_JSON_FILE)}: format is 'layers-model', expected 'stemsim-snn-weights'; this is not a stemsim weights folder`,
    );
    await expect(loadWeights(temporaryFolder('empty'), network)).rejects.toThrow(CaptureError);
  });

  test('checks thresholds, decays and stray tensors', () => {
    const base = { [weightName('conv1', 'kernel')]: tf.zeros([3, 3, 2, 16]), [weightName('conv2', 'kernel')]: tf.zeros([3, 3, 16, 32]), [weightName('fc', 'kernel')]: tf.zeros([2048, 10]) };
    expect(() => checkWeights(network, base, 'w')).not.toThrow();
    expect(() => checkWeights(network, { ...base, 'conv1/threshold': tf.scalar(-1) }, 'w')).toThrow("w: threshold of layer 'conv1' is -1; it must be positive");
    expect(() => checkWeights(network, { ...base, 'pool1/kernel': tf.zeros([1]) }, 'w')).toThrow("w: tensor 'pool1/kernel' matches no parameter of network 'nmnist-snn'");
    // LIF layers take no learned decay; only PLIF layers do.
    expect(() => checkWeights(network, { ...base, 'conv1/decay': tf.scalar(0.5) }, 'w')).toThrow(/tensor 'conv1\/decay' matches no parameter/);
  });
});
