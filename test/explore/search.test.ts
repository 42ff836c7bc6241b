import * as fs from 'node:fs';
import * as path from 'node:path';
import { explore } from '../../src/explore/explore';
import { saveResult } from '../../src/explore/output';
import { resolveMapping } from '../../src/mapping';
import { loadHardware, loadMappingSpec, loadNetwork } from '../../src/spec/load';
import { ExploreRun } from '../../src/explore/explore';
import { smallHardwareSpec, tempDirectory, threeBlockNetworkSpec, writeTempSpec } from './fixtures';

const networkFile = writeTempSpec('three-block', threeBlockNetworkSpec());

/** Resolves every valid point of a run against a freshly loaded network variant; throws on a capacity or causality error. */
function resolveEveryPoint(run: ExploreRun, hardwareFile: string): number {
  const hardware = loadHardware(hardwareFile);
  const networks = new Map<number | null, ReturnType<typeof loadNetwork>>();
  for (const point of run.result.points) {
    const stateBlocks = point.candidate.stateBlocks;
    if (!networks.has(stateBlocks)) {
      networks.set(stateBlocks, loadNetwork(networkFile, stateBlocks === null ? undefined : { keepStateInLastBlocks: stateBlocks }));
    }
    resolveMapping(run.evaluator.mappingSpec(point.candidate), networks.get(stateBlocks)!, hardware);
  }
  return run.result.points.length;
}

/** Saves a run and resolves every written mapping, loaded back from its file, against the network file it names. */
function resolveSavedMappings(run: ExploreRun, hardwareFile: string): number {
  const directory = tempDirectory();
  const saved = saveResult(run.evaluator, run.result, directory, '# test');
  const entries = [...Object.values(saved.best), ...saved.front];
  for (const entry of entries) {
    const loaded = loadMappingSpec(entry.file!);
    resolveMapping(loaded.spec, loadNetwork(entry.networkFile!), loadHardware(hardwareFile), entry.file!);
  }
  expect(fs.existsSync(path.join(directory, 'summary.md'))).toBe(true);
  expect(fs.readFileSync(path.join(directory, 'points.csv'), 'utf8').trim().split('\n')).toHaveLength(run.result.points.length + 1);
  return entries.length;
}

describe('explore', () => {
  test('returns only mappings that resolve', async () => {
    const hardwareFile = writeTempSpec('small-hw', smallHardwareSpec(1 << 16));
    const run = await explore({ network: networkFile, hardware: hardwareFile, budget: 200, workers: 0, stateVariants: true });

    expect(run.result.evaluations).toBe(200);
    expect(resolveEveryPoint(run, hardwareFile)).toBe(run.result.points.length);
    expect(resolveSavedMappings(run, hardwareFile)).toBeGreaterThanOrEqual(5);
    expect(run.result.points.some((point) => point.candidate.stateBlocks !== null)).toBe(true);
  });

  test('best-only output writes no front files', async () => {
    const hardwareFile = writeTempSpec('small-hw', smallHardwareSpec(1 << 14));
    const run = await explore({ network: networkFile, hardware: hardwareFile, budget: 60, workers: 0 });
    const directory = tempDirectory();
    const saved = saveResult(run.evaluator, run.result, directory, '# test', { bestOnly: true });

    expect(saved.pointsFile).toBeNull();
    expect(saved.front.every((entry) => entry.file === null)).toBe(true);
    const files = fs.readdirSync(directory).sort();
    expect(files.filter((file) => file.includes('-front-'))).toEqual([]);
    expect(files).toEqual(expect.arrayContaining(['summary.json', 'summary.md', 'three-block-explored-best-offchip.json']));
    expect(fs.readFileSync(path.join(directory, 'summary.md'), 'utf8')).toContain('| front 1 |');
  });

  test('with a tiny buffer returns only mappings that resolve', async () => {
    const hardwareFile = writeTempSpec('tiny-hw', smallHardwareSpec(256, 512));
    const run = await explore({ network: networkFile, hardware: hardwareFile, budget: 150, workers: 0, objective: 'energy' });

    expect(resolveEveryPoint(run, hardwareFile)).toBeGreaterThan(100);
    expect(resolveSavedMappings(run, hardwareFile)).toBeGreaterThanOrEqual(4);
    // Nothing fits a 256-bit buffer, so even the best schedule moves more than the weights and input once.
    const best = run.result.best.offchip.objectives;
    expect(best.onChipBits).toBeGreaterThan(256);
    expect(best.offChipBits).toBeGreaterThan(0);
  });

  test('gives the same points with and without workers', async () => {
    const hardwareFile = writeTempSpec('small-hw', smallHardwareSpec(1 << 14));
    const options = { network: networkFile, hardware: hardwareFile, budget: 200, seed: 'same', stateVariants: true };
    const inline = await explore({ ...options, workers: 0 });
    const threaded = await explore({ ...options, workers: 2 });

    expect(threaded.workers).toBe(2);
    expect(threaded.result.points.map((point) => point.key)).toEqual(inline.result.points.map((point) => point.key));
    expect(threaded.result.points.map((point) => point.objectives)).toEqual(inline.result.points.map((point) => point.objectives));
    expect(threaded.result.front.map((point) => point.key)).toEqual(inline.result.front.map((point) => point.key));
  });

  test('another seed changes the random samples', async () => {
    const hardwareFile = writeTempSpec('small-hw', smallHardwareSpec(1 << 14));
    const options = { network: networkFile, hardware: hardwareFile, budget: 250, workers: 0 };
    const first = await explore({ ...options, seed: 'one' });
    const second = await explore({ ...options, seed: 'two' });
    expect(second.result.points.map((point) => point.key)).not.toEqual(first.result.points.map((point) => point.key));
  });

  test('rejects a budget below 1', async () => {
    const hardwareFile = writeTempSpec('small-hw', smallHardwareSpec(1 << 14));
    await expect(explore({ network: networkFile, hardware: hardwareFile, budget: 0, workers: 0 })).rejects.toThrow('budget 0 is invalid');
  });
});
