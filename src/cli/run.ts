import { Command, InvalidArgumentError, Option } from 'commander';
import { SingleBar, Presets } from 'cli-progress';
import Table from 'cli-table3';
import { describeLargest, runPipeline, RunPipelineResult } from '../pipeline/run';
import { writeRunReport } from './report-for-run';

interface RunCommandOptions {
  network: string;
  hardware: string;
  mapping?: string;
  weights?: string;
  trace?: string;
  events?: string[];
  limit?: number;
  backend?: string;
  stemsAssumptions?: boolean;
  db?: string;
  report: boolean;
  reportOut?: string;
}

function parsePositiveInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new InvalidArgumentError(`'${value}' is not a positive integer.`);
  return parsed;
}

function formatCount(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** Signed relative error of the analytical figure, (analytical - simulated) / simulated, in percent. */
function formatError(analytical: number, simulated: number): string {
  if (simulated === 0) return analytical === 0 ? '0.00%' : 'n/a';
  const percent = ((analytical - simulated) / simulated) * 100;
  return `${percent.toFixed(2) === '-0.00' ? '0.00' : percent.toFixed(2)}%`;
}

/** Prints what a run produced: per sample, analytical next to simulated, then the largest disagreements. */
export function printRunSummary(result: RunPipelineResult): void {
  console.log(
    `${result.reused ? 'reused' : 'stored'} run ${result.runId}: ${result.network} on ${result.hardware} with mapping ${result.mapping}`,
  );
  console.log(`weights: ${result.weightsOrigin}`);
  console.log(
    `dense analytical: ${formatCount(result.dense.energyPj)} pJ, ${formatCount(result.dense.cycles)} cycles, ` +
      `${formatCount(result.dense.offChipBits)} off-chip bits`,
  );

  const table = new Table({
    style: { head: [], border: [] },
    head: ['sample', 'label', 'predicted', 'input spike rate', 'energy pJ (analytical / simulated)', 'error (a-s)/s', 'cycles (analytical / simulated)', 'error (a-s)/s', 'off-chip bits (a / s)'],
  });
  for (const sample of result.samples) {
    table.push([
      sample.sample,
      sample.label ?? '-',
      sample.predictedClass ?? '-',
      sample.meanInputSpikeRate.toFixed(4),
      `${formatCount(sample.analyticalEnergyPj)} / ${formatCount(sample.simulatedEnergyPj)}`,
      formatError(sample.analyticalEnergyPj, sample.simulatedEnergyPj),
      `${formatCount(sample.analyticalCycles)} / ${formatCount(sample.simulatedCycles)}`,
      formatError(sample.analyticalCycles, sample.simulatedCycles),
      `${formatCount(sample.analyticalOffChipBits)} / ${formatCount(sample.simulatedOffChipBits)}`,
    ]);
  }
  console.log(table.toString());

  const first = result.samples[0];
  if (first) {
    const within = first.validation.rowsWithinTolerance;
    console.log(
      `validation of sample ${first.sample}: ${within} of ${first.validation.rowCount} rows within ${first.validation.tolerancePercent}%`,
    );
    for (const line of describeLargest(first.validation).slice(0, 8)) console.log(`  ${line}`);
  }
  console.log(`database: ${result.databaseFile}`);
  console.log(`trace: ${result.traceFile}`);
}

/** Registers `stemsim run`, the main job: capture or replay, estimate, simulate, validate, store and report. */
export function registerRunCommand(program: Command): void {
  program
    .command('run')
    .description('Capture (or replay) spike traces, estimate, simulate, validate, store the run and write its report')
    .option('--network <nameOrPath>', 'network spec', 'nmnist-snn')
    .option('--hardware <nameOrPath>', 'hardware spec', 'meta-prototype-like')
    .option('--mapping <nameOrPath>', 'mapping spec (default: the default mapping of the network and hardware)')
    .option('--weights <dir>', 'weights folder for capture (default: models/weights/<network>)')
    .addOption(new Option('--trace <file>', 'trace file to replay (default: traces/<network>/<network>.trace.pb)').conflicts('events'))
    .option('--events <paths...>', 'event recordings (files or folders) to capture a new trace from')
    .option('--limit <count>', 'at most this many samples', parsePositiveInteger)
    .option('--backend <name>', 'TensorFlow.js backend for capture: tensorflow, wasm or cpu')
    .option('--stems-assumptions', "use the STEMS authors' assumptions (docs/cost-model.md)")
    .option('--db <file>', 'SQLite database (default: $STEMSIM_DB, else stemsim-data/stemsim.db)')
    .option('--no-report', 'do not write the HTML report')
    .addOption(new Option('--report-out <file>', 'HTML report file (default: report-<run id>.html beside the database)').conflicts('report'))
    .action(async (options: RunCommandOptions, command: Command) => {
      if (options.backend && !options.events) {
        command.error("error: option '--backend <name>' applies only to capture; give --events too, or leave --backend out");
      }
      const showBar = process.stderr.isTTY === true;
      const bar = new SingleBar({ format: '{stage} [{bar}] {value}/{total}', stream: process.stderr }, Presets.shades_classic);
      let barStage = '';

      const result = await runPipeline({
        network: options.network,
        hardware: options.hardware,
        mapping: options.mapping,
        weightsDir: options.weights,
        traceFile: options.trace,
        events: options.events,
        limit: options.limit,
        backend: options.backend,
        stemsAssumptions: options.stemsAssumptions,
        db: options.db,
        onStage: (stage, detail) => console.error(`${stage}: ${detail}`),
        onProgress: (stage, done, total) => {
          if (!showBar) return;
          if (stage !== barStage) {
            if (barStage) bar.stop();
            bar.start(total, done, { stage });
            barStage = stage;
          }
          bar.update(done, { stage });
          if (done >= total) {
            bar.stop();
            barStage = '';
          }
        },
      });

      printRunSummary(result);
      if (options.report) {
        console.log(`report: ${writeRunReport(result, options.db, options.reportOut)}`);
      }
    });
}
