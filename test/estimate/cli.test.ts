import * as fs from 'node:fs';
import { Command } from 'commander';
import { registerEstimateCommands } from '../../src/cli/estimate';
import { estimate } from '../../src/estimate';
import { resolveMapping } from '../../src/mapping';
import { CostResult } from '../../src/metrics/types';
import { SpecError } from '../../src/spec/errors';
import { loadHardware, loadMappingSpec, loadNetwork } from '../../src/spec/load';
import { writeTemp } from '../mapping/fixtures';

/** Runs the estimate commands with `args` and returns what they printed to stdout and stderr. */
async function run(args: string[]): Promise<{ stdout: string; stderr: string }> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((...values) => void stdout.push(values.join(' ')));
  const error = jest.spyOn(console, 'error').mockImplementation((...values) => void stderr.push(values.join(' ')));
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout.push(String(chunk));
    return true;
  });
  try {
    const program = new Command('stemsim').exitOverride().configureOutput({ writeErr: (text) => void stderr.push(text) });
    registerEstimateCommands(program);
    await program.parseAsync(['node', 'stemsim', ...args]);
  } finally {
    log.mockRestore();
    error.mockRestore();
    write.mockRestore();
  }
  return { stdout: stdout.join('\n'), stderr: stderr.join('\n') };
}

describe('stemsim estimate', () => {
  test('default mapping is announced', async () => {
    const { stdout } = await run(['estimate', '--network', 'nmnist-snn', '--hardware', 'meta-prototype-like']);
    expect(stdout).toMatch(/mapping: none given, so the default mapping/);
    expect(stdout).toMatch(/│ conv2 +│/);
    expect(stdout).toMatch(/global_buffer bits/);
    expect(stdout).toMatch(/^off-chip: [0-9,]+ bits/m);
  });

  test('json output matches the estimate', async () => {
    const { stdout } = await run(['estimate', '--network', 'nmnist-snn', '--hardware', 'meta-prototype-like', '--mapping', 'nmnist-snn-default', '--json']);
    const printed = JSON.parse(stdout) as CostResult;
    const network = loadNetwork('nmnist-snn');
    const hardware = loadHardware('meta-prototype-like');
    const direct = estimate(network, hardware, loadMappingSpec('nmnist-snn-default').spec);
    expect(printed.totals).toEqual(direct.totals);
    expect(printed.accesses).toHaveLength(direct.accesses.length);
  });

  test('sparsity scales operations and weight reads', async () => {
    const dense = JSON.parse((await run(['estimate', '--network', 'nmnist-snn', '--hardware', 'meta-prototype-like', '--json'])).stdout) as CostResult;
    const sparse = JSON.parse(
      (await run(['estimate', '--network', 'nmnist-snn', '--hardware', 'meta-prototype-like', '--json', '--sparsity', '0.25'])).stdout,
    ) as CostResult;
    expect(sparse.totals.operations).toBeCloseTo(dense.totals.operations * 0.25, 3);
    expect(sparse.totals.offChipBits).toBe(dense.totals.offChipBits);
    // The event-driven array of this core has no weight register, so it reads the weight SRAM on every cycle that does
    // work. A quarter of the dense reads remain; every other access stays dense.
    const weightSramReadEnergyPj = (result: CostResult) =>
      result.accesses.filter((record) => record.level === 'weight_sram' && record.direction === 'read').reduce((sum, record) => sum + record.energyPj, 0);
    expect(weightSramReadEnergyPj(dense)).toBeGreaterThan(0);
    expect(weightSramReadEnergyPj(sparse) / weightSramReadEnergyPj(dense)).toBeCloseTo(0.25, 9);
    expect(sparse.totals.memoryEnergyPj).toBeCloseTo(dense.totals.memoryEnergyPj - 0.75 * weightSramReadEnergyPj(dense), 3);
  });

  test('invalid sparsity is rejected', async () => {
    await expect(run(['estimate', '--network', 'nmnist-snn', '--hardware', 'meta-prototype-like', '--sparsity', '1.5'])).rejects.toThrow(
      /argument '1.5' is invalid. Use a spike rate from 0 to 1/,
    );
  });

  test('bad mapping file names the field', async () => {
    const file = writeTemp('bad.json', { name: 'bad', layers: { conv1: { temporal: [{ level: 'dram', loops: [['K', 2]] }] } } });
    const failure = run(['estimate', '--network', 'nmnist-snn', '--hardware', 'meta-prototype-like', '--mapping', file]);
    await expect(failure).rejects.toThrow(SpecError);
    await expect(failure).rejects.toThrow(`${file}: /layers/conv1/temporal/0/level: loops at DRAM`);
  });
});

describe('stemsim mapping default', () => {
  test('written mapping resolves', async () => {
    const out = writeTemp('default.json', '');
    const { stdout } = await run(['mapping', 'default', '--network', 'red-lif', '--hardware', 'meta-prototype-like-gb128k', '--out', out]);
    expect(stdout).toBe(`wrote ${out}`);
    const spec = JSON.parse(fs.readFileSync(out, 'utf8'));
    expect(Object.keys(spec.layers)).toHaveLength(17);
    const resolved = resolveMapping(loadMappingSpec(out).spec, loadNetwork('red-lif'), loadHardware('meta-prototype-like-gb128k'), out);
    expect(resolved.groups[0].timeBatch).toBe(1);
  });
});
