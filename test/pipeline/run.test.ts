import { spawn, spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openStore } from '../../src/store/store';

const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(PROJECT_ROOT, 'bin', 'stemsim.js');
const NMNIST_TEST = path.resolve(PROJECT_ROOT, '..', 'shared', 'data', 'events', 'nmnist_bin', 'test');
const RECORDINGS = ['60001.bs2', '60002.bs2'].map((file) => path.join(NMNIST_TEST, file));
const haveRecordings = RECORDINGS.every((file) => fs.existsSync(file));
const describeWithRecordings = haveRecordings ? describe : describe.skip;

if (!haveRecordings) {
  console.warn(`skipping the pipeline tests on real recordings: ${NMNIST_TEST} is missing`);
}

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'stemsim-run-'));
}

function runCli(args: string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, STEMSIM_DB: '' } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function sha256(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

function parseCount(text: string): number {
  return Number(text.replace(/,/g, ''));
}

/** Parses the per-sample table that `stemsim run` prints into analytical and simulated totals per sample id. */
function parsePrintedSamples(stdout: string): Map<string, { analyticalEnergyPj: number; simulatedEnergyPj: number; analyticalCycles: number; simulatedCycles: number }> {
  const rows = new Map();
  for (const line of stdout.split('\n')) {
    const cells = line.split('│').map((cell) => cell.trim());
    if (cells.length < 10 || !/^\d+$/.test(cells[1])) continue;
    const [analyticalEnergy, simulatedEnergy] = cells[5].split('/').map((part) => parseCount(part.trim()));
    const [analyticalCycles, simulatedCycles] = cells[7].split('/').map((part) => parseCount(part.trim()));
    rows.set(cells[1], { analyticalEnergyPj: analyticalEnergy, simulatedEnergyPj: simulatedEnergy, analyticalCycles, simulatedCycles });
  }
  return rows;
}

describeWithRecordings('stemsim run on real N-MNIST recordings', () => {
  const workDir = tempDir();
  const database = path.join(workDir, 'runs.db');
  const report = path.join(workDir, 'report.html');
  let first: ReturnType<typeof runCli>;

  beforeAll(() => {
    first = runCli(['run', '--events', ...RECORDINGS, '--db', database, '--report-out', report], workDir);
  });

  test('exits 0 and prints where the results are', () => {
    expect(first.stderr).not.toMatch(/Error/);
    expect(first.status).toBe(0);
    expect(first.stdout).toContain(`database: ${database}`);
    expect(first.stdout).toContain(`report: ${report}`);
    expect(fs.existsSync(report)).toBe(true);
  });

  test('stored rows equal the printed summary', () => {
    const runId = Number(/stored run (\d+)/.exec(first.stdout)![1]);
    const printed = parsePrintedSamples(first.stdout);
    expect([...printed.keys()].sort()).toEqual(['60001', '60002']);

    const store = openStore(database, { mustExist: true });
    try {
      const run = store.getRun(runId);
      expect(run.inputs.traces!.map((trace) => trace.sample).sort()).toEqual(['60001', '60002']);
      for (const [sample, figures] of printed) {
        expect(Math.round(run.analyticalSparse[sample].totals.energyPj)).toBe(figures.analyticalEnergyPj);
        expect(Math.round(run.simulated[sample].totals.energyPj)).toBe(figures.simulatedEnergyPj);
        expect(Math.round(run.analyticalSparse[sample].totals.cycles)).toBe(figures.analyticalCycles);
        expect(Math.round(run.simulated[sample].totals.cycles)).toBe(figures.simulatedCycles);
        expect(run.validation[sample].length).toBeGreaterThan(0);
        // A real recording is sparse, so the trace-driven simulation does less work than the dense estimate.
        expect(run.simulated[sample].totals.operations).toBeLessThan(run.analyticalDense!.totals.operations);
      }
    } finally {
      store.close();
    }
  });

  test('same inputs reuse the stored run', () => {
    const again = runCli(['run', '--events', ...RECORDINGS, '--db', database, '--no-report'], workDir);
    expect(again.status).toBe(0);
    const firstId = /stored run (\d+)/.exec(first.stdout)![1];
    expect(again.stdout).toContain(`reused run ${firstId}`);
    const store = openStore(database, { mustExist: true });
    try {
      expect(store.listRuns()).toHaveLength(1);
    } finally {
      store.close();
    }
  });

  test('rejected inputs change nothing stored', () => {
    const before = sha256(database);
    const badNetwork = path.join(workDir, 'bad-network.json');
    fs.writeFileSync(badNetwork, JSON.stringify({ name: 'bad', timesteps: 0 }));

    const cases: [string[], RegExp][] = [
      [['run', '--trace', path.join(workDir, 'missing.trace.pb'), '--db', database], /missing\.trace\.pb: .*trace file not found/],
      [['run', '--network', badNetwork, '--db', database], /bad-network\.json: \/timesteps: must be >= 1/],
      [['run', '--events', path.join(workDir, 'nowhere.bs2'), '--db', database], /nowhere\.bs2/],
    ];
    for (const [args, message] of cases) {
      const result = runCli(args, workDir);
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(sha256(database)).toBe(before);
    }
  });

  test('database that is not SQLite is left unchanged', () => {
    const notDatabase = path.join(workDir, 'notes.db');
    fs.writeFileSync(notDatabase, 'these are my notes, not a database\n');
    const before = sha256(notDatabase);
    const result = runCli(['run', '--db', notDatabase, '--no-report'], workDir);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(notDatabase);
    expect(sha256(notDatabase)).toBe(before);
  });

  test('killed run leaves no partial run', async () => {
    const killedDatabase = path.join(workDir, 'killed.db');
    const child = spawn(process.execPath, [CLI, 'run', '--events', ...RECORDINGS, '--db', killedDatabase, '--no-report'], {
      cwd: workDir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });

    // Kill the process in the middle of the pipeline, after capture and before the store's transaction.
    // test/store/crash.test.ts kills a save inside its transaction.
    const signal = await new Promise<NodeJS.Signals | null>((resolve) => {
      child.stderr.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('estimate: ')) child.kill('SIGKILL');
      });
      child.on('exit', (_code, exitSignal) => resolve(exitSignal));
    });
    expect(signal).toBe('SIGKILL');

    if (fs.existsSync(killedDatabase)) {
      const store = openStore(killedDatabase, { mustExist: true });
      try {
        expect(store.listRuns()).toHaveLength(0);
      } finally {
        store.close();
      }
    }
  });
});
