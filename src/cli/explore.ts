import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { checkWithSimulator } from '../explore/check-simulator';
import { DEFAULT_BUDGET, DEFAULT_SEED, defaultWorkerCount, explore, ExploreOptions, ExploreRun } from '../explore/explore';
import { OBJECTIVE_NAMES, ObjectiveName } from '../explore/objectives';
import { saveResult } from '../explore/output';
import { SearchState } from '../explore/search-state';
import { DEFAULT_SWEEP_BUDGET, sweepBufferSizes, sweepTable } from '../explore/sweep';
import { formatCount, formatMegabytes, markdownTable } from '../explore/units';
import { DATA_DIRECTORY } from '../store/paths';

interface CommonOptions {
  network: string;
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
  out?: string;
  checkWithSimulator?: string;
  checkSample: number;
}

interface SweepCommandOptions extends CommonOptions {
  hardwareFamily: string;
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

function addSearchOptions(command: Command, budgetHelp: string): Command {
  return command
    .requiredOption('--network <nameOrPath>', 'network spec: a path or a name under models/networks')
    .addOption(new Option('--objective <name>', 'objective the local search minimises').choices(OBJECTIVE_NAMES).default('offchip'))
    .option('--budget <count>', budgetHelp, positiveInteger)
    .option('--workers <count>', 'worker threads evaluating candidates; 0 evaluates in the main thread', nonNegativeInteger, defaultWorkerCount())
    .option('--seed <text>', 'seed of the random sampling; the same seed gives the same result with any number of workers', DEFAULT_SEED)
    .option('--stems-assumptions', "estimate with the STEMS authors' assumptions: state starts in and returns to DRAM, no padding, one-column fusion tiles")
    .option('--state-variants', 'also search which blocks keep neuron state (keepStateInLastBlocks from 0 to the number of blocks)')
    .addOption(
      new Option('--time-batches <set>', "time batches searched: 'divisors' of T or 'all' values from 1 to T").choices(['divisors', 'all']).default('divisors'),
    );
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

function searchOptions(options: CommonOptions): Omit<ExploreOptions, 'hardware'> {
  return {
    network: options.network,
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

async function runExplore(options: ExploreCommandOptions, command: Command): Promise<void> {
  if (!options.hardware) command.error("error: required option '--hardware <nameOrPath>' not specified");
  const run = await explore({ ...searchOptions(options), hardware: options.hardware });
  const network = run.evaluator.baseNetwork;
  const directory = path.resolve(options.out ?? path.join(DATA_DIRECTORY, 'explore', `${network.name}-${run.evaluator.hardware.name}`));
  const header = runHeader(run, options);
  const saved = saveResult(run.evaluator, run.result, directory, header);
  console.log(fs.readFileSync(saved.tableFile, 'utf8'));
  console.log(`wrote ${saved.front.length} Pareto-front and ${Object.keys(saved.best).length} best mappings, summary.md, summary.json and points.csv to ${directory}`);
  const variants = new Set([...saved.front, ...Object.values(saved.best)].map((entry) => entry.networkFile));
  if (variants.size > 1 || !variants.has(run.evaluator.networkFile)) {
    console.log('mappings with a state variant need the network spec written next to them (network-state-last-N.json); summary.json names it for each mapping');
  }

  if (options.checkWithSimulator) {
    const seen = new Set<string>();
    const checked = Object.entries(saved.best)
      .filter(([, entry]) => !seen.has(entry.point.key) && seen.add(entry.point.key) !== undefined)
      .map(([objective, entry]) => ({ role: `best ${objective}`, point: entry.point }));
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

async function runSweep(options: SweepCommandOptions): Promise<void> {
  const rows = await sweepBufferSizes(options.hardwareFamily, searchOptions(options), (row) => {
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

/** Registers `stemsim explore` and `stemsim explore sweep`. */
export function registerExploreCommand(program: Command): void {
  const command = addSearchOptions(
    program
      .command('explore')
      .description('Search inter-layer schedules, loop orders and state variants with the analytical model; save the Pareto front and the best mapping per objective'),
    `most evaluations (default ${DEFAULT_BUDGET})`,
  )
    .option('--hardware <nameOrPath>', 'hardware spec: a path or a name under models/hardware')
    .option('--out <dir>', `folder for the mappings and the summary (default ${DATA_DIRECTORY}/explore/<network>-<hardware>)`)
    .option('--check-with-simulator <trace>', 're-check the best mapping of each objective with the cycle-level simulator on this spike trace (.trace.pb)')
    .option('--check-sample <index>', 'sample of the trace to simulate', nonNegativeInteger, 0)
    .action((options: ExploreCommandOptions, self: Command) => runExplore(options, self));

  addSearchOptions(
    command.command('sweep').description('Explore a network on every buffer size of a hardware family and compare the best schedule with layer by layer'),
    `most evaluations per hardware (default ${DEFAULT_SWEEP_BUDGET})`,
  )
    .option('--hardware-family <name>', "hardware specs named <name> and <name>-... under models/hardware", 'meta-prototype-like')
    .option('--out <file>', 'also write the table to this markdown file')
    .action((options: SweepCommandOptions) => runSweep(options));
}
