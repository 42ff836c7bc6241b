import * as fs from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import Table from 'cli-table3';
import { estimate } from '../estimate/estimate';
import { summarizeLayers } from '../estimate/layer-summary';
import { SparsityOption } from '../estimate/sparsity';
import { defaultMapping } from '../mapping/default';
import { resolveMapping } from '../mapping/resolve';
import { CostResult } from '../metrics/types';
import { ResolvedHardware } from '../spec/hardware';
import { readJsonFile } from '../spec/load-json';
import { loadHardware, loadMappingSpec, loadNetwork } from '../spec/load';

interface EstimateCommandOptions {
  network: string;
  hardware: string;
  mapping?: string;
  sparsity?: SparsityOption;
  stemsAssumptions?: boolean;
  json?: boolean;
}

/** Parses --sparsity: a rate from 0 to 1, or a JSON file of rates per layer name (one, or one per timestep). */
function parseSparsity(value: string): SparsityOption {
  if (/^[0-9.]+$/.test(value)) {
    const rate = Number(value);
    if (!(rate >= 0 && rate <= 1)) throw new InvalidArgumentError('Use a spike rate from 0 to 1, or a JSON file of rates per layer name.');
    return rate;
  }
  if (!fs.existsSync(value)) {
    throw new InvalidArgumentError(`It is neither a rate from 0 to 1 nor an existing file. Use a rate, or a JSON file of rates per layer name.`);
  }
  return readJsonFile(value) as SparsityOption;
}

const integer = (value: number) => Math.round(value).toLocaleString('en-US');

/** Formats the per-layer table and the totals of a full estimate. */
export function formatEstimate(result: CostResult, hardware: ResolvedHardware): string {
  const onChipLevels = hardware.levels.filter((level) => !level.isOffChip).map((level) => level.name);
  const table = new Table({
    head: ['layer', 'operations', 'cycles', 'bound', 'off-chip bits', ...onChipLevels.map((name) => `${name} bits`), 'energy pJ'],
    style: { head: [], border: [], compact: true },
  });
  for (const summary of summarizeLayers(result, hardware)) {
    table.push([
      summary.layer,
      integer(summary.operations),
      integer(summary.cycles),
      summary.bound,
      integer(summary.offChipBits),
      ...onChipLevels.map((name) => integer(summary.onChipBits[name])),
      integer(summary.energyPj),
    ]);
  }
  const totals = result.totals;
  const lines = [
    table.toString(),
    `total: ${integer(totals.operations)} operations, ${integer(totals.cycles)} cycles (${(totals.seconds * 1e3).toFixed(3)} ms at ${hardware.clockHz / 1e6} MHz), bound ${totals.bound}`,
    `off-chip: ${integer(totals.offChipBits)} bits (${integer(totals.offChipReadBits)} read, ${integer(totals.offChipWriteBits)} written)`,
    `energy: ${integer(totals.energyPj)} pJ (compute ${integer(totals.computeEnergyPj)}, memory ${integer(totals.memoryEnergyPj)})`,
  ];
  return lines.join('\n');
}

function runEstimate(options: EstimateCommandOptions): void {
  const network = loadNetwork(options.network);
  const hardware = loadHardware(options.hardware);
  let spec;
  let file;
  if (options.mapping) {
    ({ spec, file } = loadMappingSpec(options.mapping));
  } else {
    spec = defaultMapping(network, hardware);
    file = 'built-in default mapping';
    const note = `mapping: none given, so the default mapping (${spec.description}) is used; choose one with --mapping`;
    if (options.json) console.error(note);
    else console.log(note);
  }
  const resolved = resolveMapping(spec, network, hardware, file, { stemsAssumptions: options.stemsAssumptions });
  const result = estimate(network, hardware, resolved, { sparsity: options.sparsity });
  if (options.json) {
    console.log(JSON.stringify(result, null, 2));
    return;
  }
  const mode = options.stemsAssumptions ? ' (STEMS-compatible mode)' : '';
  console.log(`${network.name} on ${hardware.name} with mapping ${result.mapping}${mode}`);
  console.log(formatEstimate(result, hardware));
}

/** Registers `stemsim estimate` and `stemsim mapping default`. */
export function registerEstimateCommands(program: Command): void {
  program
    .command('estimate')
    .description('Estimate access counts, energy and latency with the analytical cost model')
    .requiredOption('--network <nameOrPath>', 'network spec: a path or a name under models/networks')
    .requiredOption('--hardware <nameOrPath>', 'hardware spec: a path or a name under models/hardware')
    .option('--mapping <nameOrPath>', 'mapping spec: a path or a name under models/mappings (default: the built-in default mapping)')
    .option('--sparsity <rate>', 'input spike rate of every layer (0 to 1), or a JSON file of rates per layer name', parseSparsity)
    .option('--stems-assumptions', "use the STEMS authors' assumptions: state starts in and returns to DRAM, no padding, one-column fusion tiles")
    .option('--json', 'print the whole CostResult as JSON')
    .action((options: EstimateCommandOptions) => runEstimate(options));

  const mapping = program.command('mapping').description('Make mapping specs');
  mapping
    .command('default')
    .description('Write the default mapping of a network on a hardware: layer by layer in sequential time')
    .requiredOption('--network <nameOrPath>', 'network spec: a path or a name under models/networks')
    .requiredOption('--hardware <nameOrPath>', 'hardware spec: a path or a name under models/hardware')
    .option('--out <file>', 'write the mapping to this file instead of standard output')
    .action((options: { network: string; hardware: string; out?: string }) => {
      const spec = defaultMapping(loadNetwork(options.network), loadHardware(options.hardware));
      const text = `${JSON.stringify(spec, null, 2)}\n`;
      if (!options.out) {
        process.stdout.write(text);
        return;
      }
      fs.writeFileSync(options.out, text);
      console.log(`wrote ${options.out}`);
    });
}
