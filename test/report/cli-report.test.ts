import { Command } from 'commander';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { registerReportCommand } from '../../src/cli/report';
import { StoreError } from '../../src/store/errors';
import { openStore } from '../../src/store/store';
import { makeRunRequest } from '../store/fixtures';

/** Runs `stemsim report ...` in this process and returns what it printed with console.log. */
async function runReport(args: string[]): Promise<string> {
  const program = new Command('stemsim').exitOverride().configureOutput({ writeOut: () => undefined, writeErr: () => undefined });
  registerReportCommand(program);
  const printed: string[] = [];
  const logSpy = jest.spyOn(console, 'log').mockImplementation((...parts: unknown[]) => {
    printed.push(parts.join(' '));
  });
  try {
    await program.parseAsync(['node', 'stemsim', 'report', ...args]);
  } finally {
    logSpy.mockRestore();
  }
  return printed.join('\n');
}

describe('stemsim report', () => {
  const folder = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'stemsim-cli-report-')));
  const dbFile = path.join(folder, 'runs.db');
  const savedDirectory = process.cwd();
  let firstId: number;
  let latestId: number;

  beforeAll(() => {
    const store = openStore(dbFile);
    firstId = store.saveRun(makeRunRequest('first'));
    latestId = store.saveRun(makeRunRequest('latest'));
    store.close();
    process.chdir(folder);
  });

  afterAll(() => {
    process.chdir(savedDirectory);
  });

  it('reports the latest run by default', async () => {
    const printed = await runReport(['--db', dbFile]);
    expect(printed).toBe(path.join(folder, 'stemsim-data', `report-${latestId}.html`));
    expect(fs.readFileSync(printed, 'utf8')).toContain(`<section id="run-${latestId}">`);
  });

  it('reports the named runs to --out', async () => {
    const outFile = path.join(folder, 'out', 'both.html');
    const printed = await runReport([String(firstId), String(latestId), String(firstId), '--db', dbFile, '--out', outFile]);
    expect(printed).toBe(outFile);
    const html = fs.readFileSync(outFile, 'utf8');
    expect(html).toContain(`<title>stemsim report: run ${firstId}, ${latestId}</title>`);
  });

  it('names several runs in the default file', async () => {
    const printed = await runReport([String(firstId), String(latestId), '--db', dbFile]);
    expect(printed).toBe(path.join(folder, 'stemsim-data', `report-${firstId}-${latestId}.html`));
  });

  it('rejects a database without runs', async () => {
    const emptyFile = path.join(folder, 'empty.db');
    openStore(emptyFile).close();
    await expect(runReport(['--db', emptyFile])).rejects.toThrow(StoreError);
    await expect(runReport(['--db', emptyFile])).rejects.toThrow('stores no runs to report');
  });

  it('rejects an invalid run id', async () => {
    await expect(runReport(['first', '--db', dbFile])).rejects.toThrow("'first' is not a run id");
  });
});
