import * as fs from 'node:fs';
import * as path from 'node:path';
import seedrandom from 'seedrandom';
import { selectBackend } from '../../src/capture/backend';
import { calibrateNetwork, calibrateThreshold } from '../../src/capture/calibrate';
import { captureTraces } from '../../src/capture/capture';
import { CALIBRATION_RECIPE_FILE } from '../../src/capture/calibration-recipe';
import type { NeuronParams } from '../../src/capture/neuron';
import { readTraceFile } from '../../src/capture/trace-io';
import { summariseTrace } from '../../src/capture/trace-summary';
import { saveWeights } from '../../src/capture/weights';
import { firstTestRecordings, nmnistDir, temporaryFolder } from './helpers';

const dataDir = nmnistDir();
const describeWithData = dataDir ? describe : describe.skip;

const LIF: NeuronParams = { model: 'lif', threshold: 1, decay: 0.5, reset: 'subtract', resetValue: 0, initialState: 0, stateful: true };

function randomCurrent(length: number, offset: number): Float32Array {
  const random = seedrandom('calibration');
  return Float32Array.from({ length }, () => random() + offset);
}

beforeAll(async () => {
  await selectBackend('wasm');
});

describe('threshold search', () => {
  test.each([0.05, 0.15, 0.4])('LIF reaches a firing rate of %s', (target) => {
    const choice = calibrateThreshold(randomCurrent(8 * 5_000, -0.3), LIF, target, 8, 1);
    expect(choice.reachedTarget).toBe(true);
    expect(Math.abs(choice.rate - target)).toBeLessThanOrEqual(0.002);
  });

  test('quantised ReLU step is the quantile of the input', () => {
    // Uniform input on [-0.5, 0.5): 20% of values lie at or above 0.3.
    const choice = calibrateThreshold(randomCurrent(100_000, -0.5), { ...LIF, model: 'none' }, 0.2, 4, 1);
    expect(choice.threshold).toBeGreaterThan(0.29);
    expect(choice.threshold).toBeLessThan(0.31);
  });

  test('input that is never positive keeps the spec threshold', () => {
    const choice = calibrateThreshold(new Float32Array(1000).fill(-1), LIF, 0.15, 10, 1);
    expect(choice).toEqual({ threshold: 1, rate: 0, reachedTarget: false });
  });

  test('input sparser than the target is reported', () => {
    // Only 1% of the values are positive, so at most about 1% of the outputs can be nonzero.
    const current = new Float32Array(10_000);
    for (let i = 0; i < current.length; i += 100) current[i] = 1;
    const choice = calibrateThreshold(current, { ...LIF, model: 'none' }, 0.15, 1, 1);
    expect(choice.reachedTarget).toBe(false);
    expect(choice.rate).toBeCloseTo(0.01, 6);
  });
});

describeWithData('calibrated network', () => {
  test('layers fire at the target rate, in calibration and in the captured trace', async () => {
    const files = firstTestRecordings(dataDir!, 2);
    const result = await calibrateNetwork({ network: 'nmnist-snn', eventFiles: files, seed: 4, targetRate: 0.1, maxSamples: 2, backend: 'wasm' });
    expect(result.weights.metadata.origin).toBe('calibrated, not trained');
    expect(result.layers.map((layer) => layer.layer)).toEqual(['conv1', 'conv2', 'fc']);
    for (const layer of result.layers) {
      expect(layer.reachedTarget).toBe(true);
      expect(Math.abs(layer.rate - 0.1)).toBeLessThanOrEqual(0.01);
      expect(result.weights.tensors[`${layer.layer}/threshold`].dataSync()[0]).toBe(layer.threshold);
    }
    // N-MNIST spans about 0.3 s, so T = 10 bins are about 30 ms wide, rounded up to whole milliseconds.
    expect(result.weights.metadata.binWidthUs % 1000).toBe(0);
    expect(result.weights.metadata.binWidthUs).toBeGreaterThan(28_000);
    expect(result.weights.metadata.binWidthUs).toBeLessThan(33_000);

    const folder = temporaryFolder('calibrated');
    await saveWeights(folder, result.network, result.weights);
    const captured = await captureTraces({ network: 'nmnist-snn', weightsDir: folder, eventFiles: files, outDir: temporaryFolder('calibrated-trace'), backend: 'wasm' });
    const trace = readTraceFile(captured.traceFile);
    expect(trace.header.weightsOrigin).toBe('calibrated, not trained');
    const conv1 = trace.header.layers[0];
    expect(conv1.threshold).toBeCloseTo(result.layers[0].threshold, 6);
    const summary = summariseTrace(trace);
    for (const name of ['conv1', 'conv2', 'fc']) {
      const layer = summary.layers.find((entry) => entry.name === name)!;
      // The trace averages per sample, the calibration over both samples together; they agree closely.
      expect(Math.abs(layer.meanFiringRate - 0.1)).toBeLessThan(0.02);
    }
  });
});

describeWithData('calibration on demand', () => {
  test('capture calibrates from calibration.json', async () => {
    const files = firstTestRecordings(dataDir!, 2);
    const folder = temporaryFolder('recipe');
    fs.writeFileSync(path.join(folder, CALIBRATION_RECIPE_FILE), JSON.stringify({ network: 'nmnist-snn', seed: 6, targetRate: 0.12, maxSamples: 1 }));
    const captured = await captureTraces({ network: 'nmnist-snn', weightsDir: folder, eventFiles: files, outDir: temporaryFolder('recipe-trace'), backend: 'wasm' });
    const direct = await calibrateNetwork({ network: 'nmnist-snn', eventFiles: files.slice(0, 1), seed: 6, targetRate: 0.12, maxSamples: 1, backend: 'wasm' });

    const { header, samples } = readTraceFile(captured.traceFile);
    expect(header.weightsOrigin).toBe('calibrated, not trained');
    expect(header.weightsSeed).toBe(6);
    expect(header.weightsSha256).toBe(direct.weights.sha256);
    expect(header.binWidthUs).toBe(direct.weights.metadata.binWidthUs);
    expect(samples).toHaveLength(2);
    expect(captured.weightsOrigin).toBe('calibrated, not trained');
  });

  test('recipe for another network is rejected', async () => {
    const folder = temporaryFolder('wrong-recipe');
    const file = path.join(folder, CALIBRATION_RECIPE_FILE);
    fs.writeFileSync(file, JSON.stringify({ network: 'red-lif', seed: 1, targetRate: 0.15, maxSamples: 1 }));
    await expect(
      captureTraces({ network: 'nmnist-snn', weightsDir: folder, eventFiles: firstTestRecordings(dataDir!, 1), outDir: temporaryFolder('x'), backend: 'wasm' }),
    ).rejects.toThrow(`${file}: is a recipe for network 'red-lif', not 'nmnist-snn'; pass the matching --weights folder`);
  });
});
