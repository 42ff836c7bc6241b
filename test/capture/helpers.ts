import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { selectBackend } from '../../src/capture/backend';
import { heInitialWeights } from '../../src/capture/init-weights';
import { loadNetworkFile } from '../../src/capture/network-file';
import { saveWeights, weightsFromTensors, type WeightsMetadata } from '../../src/capture/weights';
import { PROJECT_ROOT } from '../../src/spec/load-json';

/**
 * Finds the N-MNIST recordings (train/, test/, labels.csv) in $STEMSIM_NMNIST_DIR, else in the data
 * folder beside the repository. Returns null when neither exists, so the tests that need them are skipped.
 */
export function nmnistDir(): string | null {
  const candidates = [process.env.STEMSIM_NMNIST_DIR, path.resolve(PROJECT_ROOT, '..', 'shared', 'data', 'events', 'nmnist_bin')];
  for (const candidate of candidates) {
    if (candidate && fs.existsSync(path.join(candidate, 'test'))) return candidate;
  }
  return null;
}

/** Returns the DVS128 AEDAT 2.0 recording beside the repository, or null. */
export function dvs128Recording(): string | null {
  const file = path.resolve(PROJECT_ROOT, '..', 'shared', 'data', 'events', 'aedat2', 'dvs128_walking.aedat');
  return fs.existsSync(file) ? file : null;
}

let temporaryRoot: string | null = null;

// Jest runs this hook after the tests of every file that imports the helpers.
afterAll(() => {
  if (temporaryRoot) fs.rmSync(temporaryRoot, { recursive: true, force: true });
  temporaryRoot = null;
});

/** Makes a new folder under one temporary root per test file, which is deleted after the file's tests. */
export function temporaryFolder(prefix: string): string {
  temporaryRoot ??= fs.mkdtempSync(path.join(os.tmpdir(), 'stemsim-capture-tests-'));
  return fs.mkdtempSync(path.join(temporaryRoot, `${prefix}-`));
}

/** Saves seeded He-initialised weights (no calibration) for a network into a new temporary folder. */
export async function initialWeightsFolder(network: string, seed: number, binWidthUs: number): Promise<string> {
  await selectBackend('wasm');
  const { network: resolved, specSha256 } = loadNetworkFile(network);
  const metadata: WeightsMetadata = {
    network: resolved.name,
    networkSpecSha256: specSha256,
    origin: 'calibrated, not trained',
    seed,
    backend: 'wasm',
    binWidthUs,
    createdAt: '2025-01-01T00:00:00.000Z',
    details: {},
  };
  const weights = await weightsFromTensors(resolved, heInitialWeights(resolved, seed), metadata, 'test');
  const folder = temporaryFolder('weights');
  await saveWeights(folder, resolved, weights);
  return folder;
}

/** Test recordings in listing order: 60001.bs2, 60002.bs2, ... */
export function firstTestRecordings(dataDir: string, count: number): string[] {
  return fs
    .readdirSync(path.join(dataDir, 'test'))
    .filter((name) => name.endsWith('.bs2'))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
    .slice(0, count)
    .map((name) => path.join(dataDir, 'test', name));
}
