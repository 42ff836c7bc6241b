import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildProgram } from '../../src/cli/main';
import { defaultMapping } from '../../src/mapping';
import { simulate } from '../../src/simulate';
import { denseNetwork, resolve, tinyHardware } from './fixtures';

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts?: number;
  dur?: number;
  args?: { name: string };
}

const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'stemsim-timeline-'));
afterAll(() => fs.rmSync(folder, { recursive: true }));

describe('Perfetto timeline', () => {
  test('complete events per component in microseconds', () => {
    // The single-tile case of hand-cases.test.ts: the compute runs from cycle 6 to 8, at 1 GHz.
    const network = denseNetwork(1, 2);
    const hardware = tinyHardware();
    const result = simulate(resolve(defaultMapping(network, hardware), network, hardware), { timeline: true });
    const file = path.join(folder, 'single.json');
    result.timeline!.writeFile(file, { network: network.name });
    const trace = JSON.parse(fs.readFileSync(file, 'utf8')) as { traceEvents: TraceEvent[]; otherData: Record<string, unknown> };

    const processNames = new Map(trace.traceEvents.filter((event) => event.name === 'process_name').map((event) => [event.pid, event.args!.name]));
    const complete = trace.traceEvents.filter((event) => event.ph === 'X');
    const compute = complete.filter((event) => processNames.get(event.pid) === 'pe_array');
    expect(compute).toEqual([{ name: 'fc', ph: 'X', pid: compute[0].pid, tid: 1, ts: 0.006, dur: 0.002 }]);
    expect([...processNames.values()]).toEqual(expect.arrayContaining(['pe_array', 'schedule', 'dram<->buffer', 'gb->wsram', 'gb->isram', 'reg->gb']));
    const node = complete.find((event) => processNames.get(event.pid) === 'schedule')!;
    expect([node.ts, node.dur]).toEqual([0, 0.012]);
    expect(trace.otherData).toMatchObject({ network: 'tiny-dense', sampling: 'none: every event is written', eventsWritten: complete.length });
  });

  test('caps the events and says so', () => {
    const network = denseNetwork(64, 2, 4);
    const hardware = tinyHardware();
    const spec = {
      name: 'c-loop',
      defaultGroup: { schedule: 'layer-by-layer' as const, timeBatch: 1 },
      layers: { fc: { spatial: { K: 2 }, temporal: [{ level: 'gb', loops: [['C', 64]] as ['C', number][] }] } },
    };
    const result = simulate(resolve(spec, network, hardware), { timeline: 50 });
    const timeline = result.timeline!;
    expect(timeline.eventsSeen).toBeGreaterThan(500);
    expect(timeline.eventsKept).toBeLessThanOrEqual(50);
    const file = path.join(folder, 'capped.json');
    timeline.writeFile(file, {});
    const trace = JSON.parse(fs.readFileSync(file, 'utf8')) as { otherData: { sampling: string; eventsInRun: number } };
    expect(trace.otherData.sampling).toBe(`the run had more than 50 events, so only every ${timeline.keepEvery}-th event is written`);
    expect(trace.otherData.eventsInRun).toBe(timeline.eventsSeen);
  });
});

describe('stemsim simulate', () => {
  async function run(args: string[]): Promise<{ output: string; errors: string; exitCode: number }> {
    const output: string[] = [];
    const errors: string[] = [];
    const log = jest.spyOn(console, 'log').mockImplementation((line: string) => output.push(line));
    const error = jest.spyOn(console, 'error').mockImplementation((line: string) => errors.push(line));
    const program = buildProgram().exitOverride();
    program.configureOutput({ writeErr: (text) => errors.push(text), writeOut: (text) => output.push(text) });
    for (const command of program.commands) command.exitOverride().configureOutput({ writeErr: (text) => errors.push(text), writeOut: (text) => output.push(text) });
    let exitCode = 0;
    try {
      await program.parseAsync(['node', 'stemsim', 'simulate', ...args]);
    } catch (caught) {
      exitCode = (caught as { exitCode?: number }).exitCode ?? 1;
      errors.push((caught as Error).message);
    } finally {
      log.mockRestore();
      error.mockRestore();
    }
    return { output: output.join('\n'), errors: errors.join('\n'), exitCode };
  }

  test('prints the layer table and writes a timeline', async () => {
    const timeline = path.join(folder, 'cli.json');
    const { output, exitCode } = await run(['--network', 'nmnist-snn', '--hardware', 'meta-prototype-like', '--mapping', 'nmnist-snn-default', '--dense', '--perfetto', timeline]);
    expect(exitCode).toBe(0);
    expect(output).toContain('nmnist-snn on meta-prototype-like with mapping nmnist-snn-default, simulated');
    expect(output).toMatch(/│ conv2 +│ 13,317,120 +│/);
    expect(output).toContain('total: 17,118,080 operations');
    expect(output).toContain('spikes: dense (every input is a spike; no trace)');
    expect(JSON.parse(fs.readFileSync(timeline, 'utf8')).traceEvents.length).toBeGreaterThan(100);
  });

  test('needs exactly one of --trace and --dense', async () => {
    const neither = await run(['--network', 'nmnist-snn', '--hardware', 'meta-prototype-like']);
    expect(neither.exitCode).toBe(1);
    expect(neither.errors).toContain('give --trace FILE to replay captured spikes, or --dense to treat every input as a spike');
    const both = await run(['--network', 'nmnist-snn', '--hardware', 'meta-prototype-like', '--dense', '--trace', 'x.trace.pb']);
    expect(both.errors).toContain('give either --trace FILE or --dense, not both');
  });

  test('rejects a bad sample index and a missing trace', async () => {
    const sample = await run(['--network', 'nmnist-snn', '--hardware', 'meta-prototype-like', '--dense', '--sample', '-1']);
    expect(sample.errors).toContain("expected an integer >= 0, got '-1'.");
    const missing = path.join(folder, 'missing.trace.pb');
    const trace = await run(['--network', 'nmnist-snn', '--hardware', 'meta-prototype-like', '--trace', missing]);
    expect(trace.errors).toContain(`${missing}: cannot be read (ENOENT)`);
  });
});
