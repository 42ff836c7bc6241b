import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { findBaselines } from '../explore/baselines';
import { checkWithSimulator } from '../explore/check-simulator';
import { EvaluatedCandidate } from '../explore/evaluator';
import { DEFAULT_BUDGET, DEFAULT_SEED, defaultWorkerCount, explore, ExploreOptions, ExploreRun } from '../explore/explore';
import { OBJECTIVE_NAMES, ObjectiveName } from '../explore/objectives';
import { saveResult } from '../explore/output';
import { SearchState } from '../explore/search-state';
import { stateVariants, writeStateVariants } from '../explore/state-variants';
import { DEFAULT_SWEEP_BUDGET, sweepBufferSizes, sweepTable } from '../explore/sweep';
import { formatCount, formatMegabytes, markdownTable } from '../explore/units';
import { DATA_DIRECTORY } from '../store/paths';

interface CommonOptions {
  network?: string;
  objective: ObjectiveName;
  budget?: number;
  workers: number;
  seed: string;
  stemsAssumptions?: boolean;
  stateVariants?: boolean;
  timeBatches: 'divisors' | 'all';
}

interface ExploreCommandOptions extends CommonOptions {
  hardware?: string;
  /** A folder for explore. */
  out?: string;
  bestOnly?: boolean;
  checkWithSimulator?: string;
  checkSample: number;
}

interface SweepCommandOptions extends CommonOptions {
  hardwareFamily: string;
  /** A markdown file for sweep. */
  out?: string;
}

function positiveInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new InvalidArgumentError(`expected a whole number of at least 1, got '${value}'.`);
  return parsed;
}

function nonNegativeInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new InvalidArgumentError(`expected a whole number of at least 0, got '${value}'.`);
  return parsed;
}

/** Prints phase changes and a count of evaluations to stderr, at most once a second within a phase. */
function progressPrinter(): (phase: string, state: SearchState) => void {
  let lastPhase = '';
  let lastPrint = 0;
  const started = performance.now();
  return (phase, state) => {
    const now = performance.now();
    if (phase === lastPhase && now - lastPrint < 1000) return;
    lastPhase = phase;
    lastPrint = now;
    console.error(`explore: ${phase}: ${state.evaluations} of ${state.budget} evaluations, ${((now - started) / 1000).toFixed(1)} s`);
  };
}

function searchOptions(options: CommonOptions, network: string): Omit<ExploreOptions, 'hardware'> {
  return {
    network,
    objective: options.objective,
    budget: options.budget,
    workers: options.workers,
    seed: options.seed,
    stateVariants: options.stateVariants,
    timeBatches: options.timeBatches,
    stemsAssumptions: options.stemsAssumptions,
    onProgress: progressPrinter(),
  };
}

function runHeader(run: ExploreRun, options: CommonOptions): string {
  const network = run.evaluator.baseNetwork;
  const mode = options.stemsAssumptions ? ', STEMS-compatible mode' : '';
  const rate = run.result.evaluations / run.seconds;
  return [
    `# Explored mappings of ${network.name} on ${run.evaluator.hardware.name}`,
    '',
    `Objective ${options.objective}${mode}, seed '${options.seed}', ${run.result.evaluations} evaluations (${run.result.points.length} valid, ${run.result.rejected.length} rejected) in ${run.seconds.toFixed(1)} s with ${run.workers} worker(s), ${rate.toFixed(1)} evaluations/s.`,
    "The required buffer is the capacity under which the schedule never evicts or bypasses; ratios are against uniform sequential-time layer-by-layer (ST-LBL) with default layer mappings.",
  ].join('\n');
}

function requireNetwork(options: { network?: string }, command: Command): string {
  if (!options.network) command.error("error: required option '--network <nameOrPath>' not specified");
  return options.network;
}

async function runExplore(options: ExploreCommandOptions, command: Command): Promise<void> {
  const networkName = requireNetwork(options, command);
  if (!options.hardware) command.error("error: required option '--hardware <nameOrPath>' not specified");
  const run = await explore({ ...searchOptions(options, networkName), hardware: options.hardware });
  const network = run.evaluator.baseNetwork;
  const directory = path.resolve(options.out ?? path.join(DATA_DIRECTORY, 'explore', `${network.name}-${run.evaluator.hardware.name}`));
  const header = runHeader(run, options);
  const saved = saveResult(run.evaluator, run.result, directory, header, { bestOnly: options.bestOnly });
  console.log(fs.readFileSync(saved.tableFile, 'utf8'));
  const written = options.bestOnly ? 'the best mapping of each objective' : `${saved.front.length} Pareto-front mappings, the best mapping of each objective, points.csv`;
  console.log(`wrote ${written}, summary.md and summary.json to ${directory}`);
  const variants = new Set([...saved.front, ...Object.values(saved.best)].filter((entry) => entry.file !== null).map((entry) => entry.networkFile));
  if (variants.size > 1 || !variants.has(run.evaluator.networkFile)) {
    console.log('mappings with a state variant need the network spec written next to them (network-state-last-N.json); summary.json names it for each mapping');
  }

  if (options.checkWithSimulator) {
    // Each distinct mapping once, labelled with every objective it is best for, then the layer-by-layer baselines.
    const roles = new Map<string, { role: string; point: EvaluatedCandidate }>();
    for (const [objective, entry] of Object.entries(saved.best)) {
      const existing = roles.get(entry.point.key);
      if (existing) existing.role += `, ${objective}`;
      else roles.set(entry.point.key, { role: `best ${objective}`, point: entry.point });
    }
    for (const [name, point] of Object.entries(findBaselines(run.result.points, network.timesteps))) {
      if (!roles.has(point!.key)) roles.set(point!.key, { role: `baseline ${name}`, point: point! });
    }
    const checked = [...roles.values()];
    console.error(`explore: simulating ${checked.length} mapping(s) on ${options.checkWithSimulator}, sample ${options.checkSample}`);
    const checks = checkWithSimulator(run.evaluator, checked, options.checkWithSimulator, options.checkSample);
    const percent = (value: number | null) => (value === null ? 'n/a' : `${value.toFixed(2)}%`);
    const rows = checks.map((check) => [
      check.role,
      `${formatMegabytes(check.analytical.offChipBits)} / ${formatMegabytes(check.simulated.offChipBits)}`,
      percent(check.errorPercent.offChipBits),
      `${formatCount(check.analytical.energyPj)} / ${formatCount(check.simulated.energyPj)}`,
      percent(check.errorPercent.energyPj),
      `${formatCount(check.analytical.cycles)} / ${formatCount(check.simulated.cycles)}`,
      percent(check.errorPercent.cycles),
      check.simulatedSeconds.toFixed(1),
    ]);
    console.log('');
    console.log(`Analytical (with the trace's spike rates) against simulated, on ${options.checkWithSimulator} sample ${options.checkSample}:`);
    console.log(
      markdownTable(
        ['mapping', 'off-chip MB (a / s)', 'error', 'energy pJ (a / s)', 'error', 'cycles (a / s)', 'error', 'simulation s'],
        rows,
        new Set([1, 2, 3, 4, 5, 6, 7]),
      ),
    );
  }
}

async function runSweep(options: SweepCommandOptions, command: Command): Promise<void> {
  const networkName = requireNetwork(options, command);
  const rows = await sweepBufferSizes(options.hardwareFamily, searchOptions(options, networkName), (row) => {
    console.error(`explore sweep: ${row.hardware} done in ${row.seconds.toFixed(1)} s`);
  });
  const mode = options.stemsAssumptions ? ' (STEMS-compatible mode)' : '';
  const text = [
    `Buffer-size sweep of ${options.network} on ${options.hardwareFamily}${mode}: objective ${options.objective}, ${options.budget ?? DEFAULT_SWEEP_BUDGET} evaluations per hardware, seed '${options.seed}'.`,
    '',
    sweepTable(rows),
  ].join('\n');
  console.log(text);
  if (options.out) {
    fs.mkdirSync(path.dirname(path.resolve(options.out)), { recursive: true });
    fs.writeFileSync(options.out, `${text}\n`);
    console.error(`explore sweep: wrote ${options.out}`);
  }
}

function runStateVariants(options: { network?: string; writeSpecs?: string }, command: Command): void {
  const variants = stateVariants(requireNetwork(options, command));
  const all = variants[variants.length - 1].stateBits;
  const rows = variants.map((variant) => [
    String(variant.stateBlocks),
    variant.stateBits.toLocaleString('en-US'),
    variant.stateBits === 0 ? 'no state' : `${(all / variant.stateBits).toFixed(1)}x`,
    variant.statefulLayers.join(', ') || '(none)',
  ]);
  console.log(`Neuron state of ${variants[0].spec.name} per keepStateInLastBlocks (bits of one inference):`);
  console.log(markdownTable(['keepStateInLastBlocks', 'state bits', 'all / this', 'stateful layers'], rows, new Set([0, 1, 2])));
  if (options.writeSpecs) {
    for (const file of writeStateVariants(variants, options.writeSpecs)) console.log(`wrote ${file}`);
  }
}

/**
 * Registers `stemsim explore` with its subcommands `sweep` and `state`. The options are declared on explore only, so
 * that they are recognised after a subcommand's name too, and each subcommand reads them with optsWithGlobals().
 */
export function registerExploreCommand(program: Command): void {
  const command = program
    .command('explore')
    .description('Search inter-layer schedules, loop orders and state variants with the analytical model; save the Pareto front and the best mapping per objective')
    .option('--network <nameOrPath>', 'network spec: a path or a name under models/networks (required)')
    .option('--hardware <nameOrPath>', 'hardware spec: a path or a name under models/hardware (required, except for the subcommands)')
    .addOption(new Option('--objective <name>', 'objective the local search minimises').choices(OBJECTIVE_NAMES).default('offchip'))
    .option('--budget <count>', `most evaluations (default ${DEFAULT_BUDGET}; for sweep ${DEFAULT_SWEEP_BUDGET} per hardware)`, positiveInteger)
    .option('--workers <count>', 'worker threads evaluating candidates; 0 evaluates in the main thread', nonNegativeInteger, defaultWorkerCount())
    .option('--seed <text>', 'seed of the random sampling; the same seed gives the same result with any number of workers', DEFAULT_SEED)
    .option('--stems-assumptions', "estimate with the STEMS authors' assumptions: state starts in and returns to DRAM, no padding, one-column fusion tiles")
    .option('--state-variants', 'also search which blocks keep neuron state (keepStateInLastBlocks from 0 to the number of blocks)')
    .addOption(
      new Option('--time-batches <set>', "time batches searched: 'divisors' of T or 'all' values from 1 to T").choices(['divisors', 'all']).default('divisors'),
    )
    .option('--out <path>', `folder for the mappings and the summary (default ${DATA_DIRECTORY}/explore/<network>-<hardware>); for sweep, a markdown file for the table`)
    .option('--best-only', 'write only the best mapping of each objective and the summaries, not the Pareto-front mappings or points.csv')
    .option('--check-with-simulator <trace>', 're-check the best mapping of each objective and the layer-by-layer baselines with the cycle-level simulator on this spike trace (.trace.pb)')
    .option('--check-sample <index>', 'sample of the trace to simulate', nonNegativeInteger, 0)
    .action((options: ExploreCommandOptions, self: Command) => runExplore(options, self));

  command
    .command('sweep')
    .description('Explore a network on every buffer size of a hardware family and compare the best schedule with layer by layer')
    .option('--hardware-family <name>', 'hardware specs named <name> and <name>-... under models/hardware', 'meta-prototype-like')
    .configureHelp({ showGlobalOptions: true })
    .action((_: unknown, self: Command) => runSweep(self.optsWithGlobals<SweepCommandOptions>(), self));

  command
    .command('state')
    .description('List the neuron state of each keepStateInLastBlocks variant of a network, and optionally write the variant specs')
    .option('--write-specs <dir>', 'write each variant as <network>-state-last-<N>.json into this folder')
    .configureHelp({ showGlobalOptions: true })
    .action((_: unknown, self: Command) => runStateVariants(self.optsWithGlobals<{ network?: string; writeSpecs?: string }>(), self));
}
