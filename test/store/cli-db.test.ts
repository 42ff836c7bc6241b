import { spawnSync } from 'node:child_process';
import { Command, CommanderError } from 'commander';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { registerDbCommands } from '../../src/cli/db';
import { StoreError } from '../../src/store/errors';
import { openStore } from '../../src/store/store';
import { makeRunRequest } from './fixtures';
import { hashFile, temporaryDatabasePath } from './temp-database';

/** Runs `stemsim db ...` in this process and returns what it printed with console.log and to stdout. */
async function runDb(args: string[]): Promise<string> {
  const program = new Command('stemsim').exitOverride().configureOutput({ writeOut: () => undefined, writeErr: () => undefined });
  registerDbCommands(program);
  const printed: string[] = [];
  const logSpy = jest.spyOn(console, 'log').mockImplementation((...parts: unknown[]) => {
    printed.push(`${parts.join(' ')}\n`);
  });
  const errorSpy = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  const writeSpy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    printed.push(String(chunk));
    return true;
  });
  try {
    await program.parseAsync(['node', 'stemsim', 'db', ...args]);
  } finally {
    logSpy.mockRestore();
    errorSpy.mockRestore();
    writeSpy.mockRestore();
  }
  return printed.join('');
}

describe('stemsim db', () => {
  const dbFile = temporaryDatabasePath();
  let firstId: number;
  let secondId: number;

  beforeAll(() => {
    const store = openStore(dbFile);
    firstId = store.saveRun(makeRunRequest('first'));
    const second = makeRunRequest('second');
    second.options.timeBatch = 4;
    secondId = store.saveRun(second);
    store.close();
  });

  it('lists the runs', async () => {
    const output = await runDb(['list', '--db', dbFile]);
    expect(output).toContain('test-net');
    expect(output).toContain('sample');
    expect(output).toContain(`2 runs in ${dbFile}`);
    expect(output.match(/│ [12] +│ 20\d\d-/g)).toHaveLength(2);
  });

  it('lists an empty database', async () => {
    const emptyFile = temporaryDatabasePath();
    openStore(emptyFile).close();
    expect(await runDb(['list', '--db', emptyFile])).toBe(`${emptyFile} stores no runs; \`stemsim run\` adds one.\n`);
  });

  it('shows a run', async () => {
    const output = await runDb(['show', String(firstId), '--db', dbFile]);
    expect(output).toContain(`run ${firstId}: test-net on test-hw, mapping test-map`);
    expect(output).toContain('simulated, sample sample-b');
    expect(output).toMatch(/validation of sample sample-a: \d+ of \d+ rows within 1 %/);
    expect(output).toContain('port contention');
    expect(output).toContain('summary: {"note":"run first","samples":2}');
  });

  it('exports JSON to a file', async () => {
    const outFile = path.join(path.dirname(dbFile), 'exports', 'run.json');
    await runDb(['export', String(firstId), '--format', 'json', '--out', outFile, '--db', dbFile]);
    const store = openStore(dbFile);
    expect(JSON.parse(fs.readFileSync(outFile, 'utf8'))).toEqual(store.getRun(firstId));
    store.close();
  });

  it('exports CSV to standard output', async () => {
    const output = await runDb(['export', String(secondId), '--format', 'csv', '--db', dbFile]);
    const lines = output.trimEnd().split('\n');
    expect(lines[0].startsWith('record,kind,sample,layer,timestep')).toBe(true);
    expect(lines[1].startsWith('access,analytical-dense,,conv1,0,dram,weight,read,1000,')).toBe(true);
  });

  it('compares two runs', async () => {
    const output = await runDb(['compare', String(firstId), String(secondId), '--db', dbFile]);
    expect(output).toContain(`run ${secondId} against run ${firstId}`);
    expect(output).toContain('option timeBatch: 1 -> 4');
    expect(output).toContain('option variant: "first" -> "second"');
    expect(output).toContain('per-layer figures: same');
  });

  it('rejects a bad run id', async () => {
    await expect(runDb(['show', 'abc', '--db', dbFile])).rejects.toThrow(CommanderError);
    await expect(runDb(['show', '99', '--db', dbFile])).rejects.toThrow('run 99 not found');
  });

  it('rejects a missing format', async () => {
    await expect(runDb(['export', String(firstId), '--db', dbFile])).rejects.toThrow("required option '--format <format>' not specified");
  });

  it('does not create a missing database', async () => {
    const missing = temporaryDatabasePath();
    await expect(runDb(['list', '--db', missing])).rejects.toThrow(StoreError);
    expect(fs.existsSync(missing)).toBe(false);
  });

  it('exits 2 on a non-SQLite file', () => {
    const textFile = path.join(path.dirname(temporaryDatabasePath()), 'notes.txt');
    fs.writeFileSync(textFile, 'not a database\n');
    const hashBefore = hashFile(textFile);
    const result = spawnSync(process.execPath, [path.join(__dirname, '..', '..', 'bin', 'stemsim.js'), 'db', 'list', '--db', textFile], {
      encoding: 'utf8',
    });
    expect(result.stderr).toBe(
      `stemsim: ${textFile}: is not a SQLite database (its first 16 bytes are not "SQLite format 3\\0"); stemsim left it unchanged. ` +
        'Pass --db with another path, set STEMSIM_DB, or move this file away\n',
    );
    expect(result.status).toBe(2);
    expect(hashFile(textFile)).toBe(hashBefore);
  });
});
