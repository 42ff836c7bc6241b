import { Command, InvalidArgumentError } from 'commander';
import { SingleBar } from 'cli-progress';
import Table from 'cli-table3';
import { defaultMapping } from '../mapping/default';
import { resolveMapping } from '../mapping/resolve';
import { ResolvedHardware } from '../spec/hardware';
import { loadHardware, loadMappingSpec, loadNetwork } from '../spec/load';
import { DenseActivity, SpikeActivity } from '../simulate/activity/spike-activity';
import { readSpikeFrames } from '../simulate/activity/trace-file';
import { TraceActivity } from '../simulate/activity/trace-activity';
import { simulate, SimulationResult } from '../simulate/simulate';

interface SimulateCommandOptions {
  network: string;
  hardware: string;
  mapping?: string;
  trace?: string;
  dense?: boolean;
  sample: number;
  perfetto?: string;
  timelineEvents?: number;
  json?: boolean;
  stemsAssumptions?: boolean;
}

function nonNegativeInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new InvalidArgumentError(`expected an integer >= 0, got '${value}'.`);
  return parsed;
}

function positiveInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new InvalidArgumentError(`expected an integer >= 1, got '${value}'.`);
  return parsed;
}

const integer = (value: number) => Math.round(value).toLocaleString('en-US');

/** Formats the stall cause with the most cycles as "cause cycles", or '' when the layer never stalled. */
function largestStall(stalls: Map<string, number>): string {
  let best = '';
  let bestCycles = 0;
  for (const [cause, cycles] of stalls) {
    if (cycles > bestCycles) {
      best = cause;
      bestCycles = cycles;
    }
  }
  return best === '' ? '' : `${best} ${integer(bestCycles)}`;
}

/** Formats the per-layer table and the totals of a simulation. */
export function formatSimulation(result: SimulationResult, hardware: ResolvedHardware): string {
  const cost = result.cost;
  const perLayer = new Map<string, { operations: number; cycles: number; stalls: Map<string, number>; offChipBits: number; energyPj: number }>();
  for (const entry of cost.layers) {
    const layer = perLayer.get(entry.layer) ?? { operations: 0, cycles: 0, stalls: new Map<string, number>(), offChipBits: 0, energyPj: 0 };
    layer.operations += entry.operations;
    layer.cycles += entry.cycles;
    layer.energyPj += entry.computeEnergyPj;
    for (const [cause, cycles] of Object.entries(entry.stallCycles)) layer.stalls.set(cause, (layer.stalls.get(cause) ?? 0) + cycles);
    perLayer.set(entry.layer, layer);
  }
  for (const record of cost.accesses) {
    const layer = perLayer.get(record.layer);
    if (!layer) continue;
    layer.energyPj += record.energyPj;
    if (record.level === hardware.dram.name) layer.offChipBits += record.bits;
  }

  const table = new Table({
    head: ['layer', 'operations', 'cycles', 'largest stall (cycles)', 'off-chip bits', 'energy pJ'],
    style: { head: [], border: [], compact: true },
  });
  for (const [name, layer] of perLayer) {
    table.push([name, integer(layer.operations), integer(layer.cycles), largestStall(layer.stalls), integer(layer.offChipBits), integer(layer.energyPj)]);
  }
  const totals = cost.totals;
  return [
    table.toString(),
    `total: ${integer(totals.operations)} operations, ${integer(totals.cycles)} cycles (${(totals.seconds * 1e3).toFixed(3)} ms at ${hardware.clockHz / 1e6} MHz), bound ${totals.bound}`,
    `off-chip: ${integer(totals.offChipBits)} bits (${integer(totals.offChipReadBits)} read, ${integer(totals.offChipWriteBits)} written)`,
    `energy: ${integer(totals.energyPj)} pJ (compute ${integer(totals.computeEnergyPj)}, memory ${integer(totals.memoryEnergyPj)})`,
    `spikes: ${result.activity}`,
    `simulated ${integer(result.events)} events over ${integer(result.nodes)} nodes`,
  ].join('\n');
}

function runSimulate(options: SimulateCommandOptions, command: Command): void {
  if (options.trace && options.dense) command.error('error: give either --trace FILE or --dense, not both');
  if (!options.trace && !options.dense) command.error('error: give --trace FILE to replay captured spikes, or --dense to treat every input as a spike');

  const network = loadNetwork(options.network);
  const hardware = loadHardware(options.hardware);
  let spec;
  let file;
  if (options.mapping) {
    ({ spec, file } = loadMappingSpec(options.mapping));
  } else {
    spec = defaultMapping(network, hardware);
    file = 'built-in default mapping';
    console.error(`mapping: none given, so the default mapping (${spec.description}) is used; choose one with --mapping`);
  }
  const mapping = resolveMapping(spec, network, hardware, file, { stemsAssumptions: options.stemsAssumptions });
  const activity: SpikeActivity = options.trace
    ? new TraceActivity(readSpikeFrames(options.trace, network, options.sample), options.trace)
    : new DenseActivity();

  const bar = process.stderr.isTTY ? new SingleBar({ format: 'simulate [{bar}] {value}/{total} nodes', stream: process.stderr }) : null;
  let started = false;
  const result = simulate(mapping, {
    activity,
    timeline: options.perfetto ? (options.timelineEvents ?? true) : false,
    onProgress: bar
      ? (done, total) => {
          if (!started) {
            bar.start(total, 0);
            started = true;
          }
          bar.update(done);
        }
      : undefined,
  });
  if (started) bar!.stop();

  if (options.perfetto && result.timeline) {
    result.timeline.writeFile(options.perfetto, {
      network: network.name,
      hardware: hardware.name,
      mapping: mapping.name,
      spikes: result.activity,
    });
    console.error(`timeline: wrote ${options.perfetto} (${result.timeline.eventsKept} of ${result.timeline.eventsSeen} events); open it in ui.perfetto.dev`);
  }
  if (options.json) {
    console.log(JSON.stringify({ cost: result.cost, events: result.events, nodes: result.nodes, spikes: result.activity, components: result.components }, null, 2));
    return;
  }
  const mode = options.stemsAssumptions ? ' (STEMS-compatible mode)' : '';
  console.log(`${network.name} on ${hardware.name} with mapping ${mapping.name}${mode}, simulated`);
  console.log(formatSimulation(result, hardware));
}

/** Registers `stemsim simulate`. */
export function registerSimulateCommand(program: Command): void {
  program
    .command('simulate')
    .description('Simulate a network on a hardware cycle by cycle, with the work of each tile set by a spike trace')
    .requiredOption('--network <nameOrPath>', 'network spec: a path or a name under models/networks')
    .requiredOption('--hardware <nameOrPath>', 'hardware spec: a path or a name under models/hardware')
    .option('--mapping <nameOrPath>', 'mapping spec: a path or a name under models/mappings (default: the built-in default mapping)')
    .option('--trace <file>', 'spike trace (.trace.pb) written by stemsim capture')
    .option('--dense', 'treat every input as a spike (no trace)')
    .option('--sample <index>', 'sample of the trace to replay', nonNegativeInteger, 0)
    .option('--perfetto <file>', 'write a timeline of computes and transfers as Chrome trace-event JSON for ui.perfetto.dev')
    .option('--timeline-events <count>', 'most events to write to the timeline; beyond it every N-th event is kept', positiveInteger)
    .option('--json', 'print the CostResult, event count and per-component figures as JSON')
    .option('--stems-assumptions', "use the STEMS authors' assumptions: state starts in and returns to DRAM, no padding, one-column fusion tiles")
    .action((options: SimulateCommandOptions, command: Command) => runSimulate(options, command));
}
