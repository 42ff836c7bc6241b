import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { sha256OfText } from '../../src/store/input-key';
import { openStore } from '../../src/store/store';
import { killStartedChildren, spawnChild, waitForExit, waitForLine } from './child-process';
import { makeRunRequest } from './fixtures';

describe('save killed mid-transaction', () => {
  afterEach(killStartedChildren);

  it('leaves no partial run', async () => {
    const dbFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'stemsim-crash-')), 'runs.db');
    const earlierRequest = makeRunRequest('earlier');
    const store = openStore(dbFile);
    const earlierId = store.saveRun(earlierRequest);
    const earlierRun = store.getRun(earlierId);
    store.close();

    const child = spawnChild('save-large-run.ts', [dbFile, 'killed']);
    const exited = waitForExit(child);
    const line = await waitForLine(child, 'inside-transaction');
    const [, rowsWritten, rowsTotal] = line.split(' ').map(Number);
    expect(rowsWritten).toBeGreaterThan(0);
    expect(rowsWritten).toBeLessThan(rowsTotal);
    child.kill('SIGKILL');
    const exit = await exited;
    expect(exit.signal).toBe('SIGKILL');
    expect(exit.stdout).not.toContain('saved');

    const raw = new Database(dbFile);
    expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    raw.close();

    const reopened = openStore(dbFile);
    const killedKey = reopened.inputKeyOf(makeRunRequest('killed', { layerCount: 20, timesteps: 40 }));
    expect(reopened.findRun(killedKey)).toBeUndefined();
    expect(reopened.listRuns().map((run) => run.id)).toEqual([earlierId]);
    expect(reopened.getRun(earlierId)).toEqual(earlierRun);

    // The next save gets the next id and reads back whole, so no leftover rows of the killed run remain.
    const nextRequest = makeRunRequest('after-crash');
    const nextId = reopened.saveRun(nextRequest);
    expect(reopened.getRun(nextId).simulated).toEqual(nextRequest.simulated);
    reopened.close();

    const counts = new Database(dbFile, { readonly: true });
    const resultRunIds = counts.prepare('SELECT DISTINCT run_id FROM results ORDER BY run_id').pluck().all();
    expect(resultRunIds).toEqual([earlierId, nextId]);
    const orphanAccesses = counts
      .prepare('SELECT count(*) FROM accesses WHERE result_id NOT IN (SELECT id FROM results)')
      .pluck()
      .get();
    expect(orphanAccesses).toBe(0);
    const killedNetworkInputs = counts.prepare('SELECT count(*) FROM inputs WHERE sha256 = ?').pluck().get(sha256OfText('network killed'));
    expect(killedNetworkInputs).toBe(0);
    counts.close();
  });
});
