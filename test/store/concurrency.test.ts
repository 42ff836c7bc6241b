import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openStore } from '../../src/store/store';
import { killStartedChildren, spawnChild, waitForExit, waitForLine } from './child-process';
import { makeRunRequest } from './fixtures';

describe('two writer processes', () => {
  afterEach(killStartedChildren);

  it('both save all their runs', async () => {
    // Both children create and migrate the same new database file at the same time.
    const dbFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'stemsim-concurrent-')), 'runs.db');
    const firstVariants = ['first-0', 'first-1', 'first-2', 'first-3', 'first-4'];
    const secondVariants = ['second-0', 'second-1', 'second-2', 'second-3', 'second-4'];
    const first = spawnChild('write-runs.ts', [dbFile, ...firstVariants]);
    const second = spawnChild('write-runs.ts', [dbFile, ...secondVariants]);
    const firstExit = waitForExit(first);
    const secondExit = waitForExit(second);

    await Promise.all([waitForLine(first, 'ready'), waitForLine(second, 'ready')]);
    first.stdin.write('go\n');
    second.stdin.write('go\n');
    const exits = await Promise.all([firstExit, secondExit]);

    for (const exit of exits) {
      expect(exit.stderr).toBe('');
      expect(exit.code).toBe(0);
    }
    const savedLines = exits.flatMap((exit) => exit.stdout.split('\n').filter((line) => line.startsWith('saved ')));
    expect(savedLines).toHaveLength(10);

    const store = openStore(dbFile);
    const runs = store.listRuns();
    expect(runs).toHaveLength(10);
    expect(new Set(runs.map((run) => run.id)).size).toBe(10);
    for (const line of savedLines) {
      const [, variant, runId] = line.split(' ');
      const request = makeRunRequest(variant, { layerCount: 6, timesteps: 20 });
      expect(store.findRun(store.inputKeyOf(request))).toBe(Number(runId));
      expect(store.getRun(Number(runId)).summary).toEqual(request.summary);
    }
    store.close();
  });
});
