import * as fs from 'node:fs';
import * as path from 'node:path';
import { selectBackend } from '../../src/capture/backend';
import { evaluateClassifier } from '../../src/capture/evaluate';
import { loadNetworkFile, sha256Hex } from '../../src/capture/network-file';
import { disposePrepared, prepareNetwork } from '../../src/capture/runner';
import { loadLabelledFolder } from '../../src/capture/train';
import { loadWeights } from '../../src/capture/weights';
import { PROJECT_ROOT } from '../../src/spec/load-json';
import { nmnistDir } from './helpers';

const WEIGHTS_DIR = path.join(PROJECT_ROOT, 'models', 'weights', 'nmnist-snn');
const dataDir = nmnistDir();
const testWithData = dataDir ? test : test.skip;

describe('trained nmnist-snn weights', () => {
  test('model card states the accuracy and hashes of the stored weights', async () => {
    await selectBackend('wasm');
    const { network, specSha256 } = loadNetworkFile('nmnist-snn');
    const weights = await loadWeights(WEIGHTS_DIR, network);
    const card = fs.readFileSync(path.join(WEIGHTS_DIR, 'MODEL_CARD.md'), 'utf8');
    const details = weights.metadata.details as { testCorrect: number; testSamples: number; testAccuracy: number };

    expect(weights.metadata.origin).toBe('trained');
    expect(weights.metadata.networkSpecSha256).toBe(specSha256);
    expect(weights.sha256).toBe(sha256Hex(fs.readFileSync(path.join(WEIGHTS_DIR, 'weights.bin'))));
    expect(card).toContain(`\`${weights.sha256}\``);
    expect(card).toContain(`(${details.testCorrect} of ${details.testSamples} test recordings)`);
    expect(details.testSamples).toBe(80);
    expect(details.testAccuracy).toBeGreaterThanOrEqual(0.9);
  });

  testWithData('re-evaluation on the 80 test recordings gives the model card accuracy', async () => {
    await selectBackend('wasm');
    const { network } = loadNetworkFile('nmnist-snn');
    const weights = await loadWeights(WEIGHTS_DIR, network);
    const test = loadLabelledFolder(path.join(dataDir!, 'test'), network, weights.metadata.binWidthUs);
    const prepared = prepareNetwork(network, weights);
    const evaluation = evaluateClassifier(prepared, test);
    disposePrepared(prepared);

    expect(evaluation.samples).toBe(80);
    expect(evaluation.correct).toBe((weights.metadata.details as { testCorrect: number }).testCorrect);
  });
});
