import { Command, InvalidArgumentError, Option } from 'commander';
import Table from 'cli-table3';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatNumber, formatPercent, formatSignedPercent, shortHash } from '../report/format';
import { listResults } from '../report/datasets';
import { RunComparison } from '../store/compare-runs';
import { EXPORT_FORMATS, ExportFormat } from '../store/export-run';
import { openStore } from '../store/store';
import { StoredRun } from '../store/types';
import { summarizeValidation } from '../validate/summary';

/** Help text of --db, shared by the db and report commands. */
export const DB_OPTION_HELP = 'SQLite database file (default: $STEMSIM_DB if set, else stemsim-data/stemsim.db in the current directory)';

/** Parses a run id argument: a positive integer. */
export function parseRunId(value: string): number {
  const runId = Number(value);
  if (!Number.isSafeInteger(runId) || runId < 1) {
    throw new InvalidArgumentError(`'${value}' is not a run id; give a positive integer (\`stemsim db list\` lists the stored runs).`);
  }
  return runId;
}

function newTable(head: string[]): Table.Table {
  return new Table({ head, style: { head: [], border: [], compact: true } });
}

/** Registers `stemsim db list|show|export|compare`. */
export function registerDbCommands(program: Command): void {
  const db = program.command('db').description('List, show, export and compare the runs stored in the SQLite database');

  db.command('list')
    .description('List the stored runs, oldest first')
    .option('--db <file>', DB_OPTION_HELP)
    .action((options: { db?: string }) => {
      const store = openStore(options.db, { mustExist: true });
      try {
        printRunList(store.listRuns(), store.file);
      } finally {
        store.close();
      }
    });

  db.command('show')
    .description('Show one run: inputs, options, totals per result, validation and summary')
    .argument('<id>', 'run id', parseRunId)
    .option('--db <file>', DB_OPTION_HELP)
    .action((runId: number, options: { db?: string }) => {
      const store = openStore(options.db, { mustExist: true });
      try {
        printRun(store.getRun(runId));
      } finally {
        store.close();
      }
    });

  db.command('export')
    .description('Export one run as JSON (everything) or CSV (every access, layer-timestep, validation and sparsity row)')
    .argument('<id>', 'run id', parseRunId)
    .addOption(new Option('--format <format>', 'output format').choices([...EXPORT_FORMATS]).makeOptionMandatory())
    .option('--out <file>', 'file to write (default: standard output)')
    .option('--db <file>', DB_OPTION_HELP)
    .action((runId: number, options: { format: ExportFormat; out?: string; db?: string }) => {
      const store = openStore(options.db, { mustExist: true });
      let text: string;
      try {
        text = store.exportRun(runId, options.format);
      } finally {
        store.close();
      }
      if (options.out === undefined) {
        // A reader such as `head` may close the pipe early; that ends the export without an error.
        process.stdout.on('error', (error: NodeJS.ErrnoException) => {
          if (error.code !== 'EPIPE') {
            throw error;
          }
        });
        process.stdout.write(text);
        return;
      }
      const file = path.resolve(options.out);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, text);
      console.error(`wrote run ${runId} as ${options.format} to ${file}`);
    });

  db.command('compare')
    .description('Compare two runs: inputs, options, totals and per-layer figures of the second against the first')
    .argument('<first>', 'run id of the baseline', parseRunId)
    .argument('<second>', 'run id compared against the baseline', parseRunId)
    .option('--db <file>', DB_OPTION_HELP)
    .action((firstRunId: number, secondRunId: number, options: { db?: string }) => {
      const store = openStore(options.db, { mustExist: true });
      try {
        printComparison(store.compareRuns(firstRunId, secondRunId));
      } finally {
        store.close();
      }
    });
}

function printRunList(runs: ReturnType<ReturnType<typeof openStore>['listRuns']>, databaseFile: string): void {
  if (runs.length === 0) {
    console.log(`${databaseFile} stores no runs; \`stemsim run\` adds one.`);
    return;
  }
  const table = newTable(['id', 'created', 'network', 'hardware', 'mapping', 'samples', 'dense energy pJ', 'dense cycles', 'simulated mean energy pJ', 'simulated mean cycles']);
  for (const run of runs) {
    table.push([
      run.id,
      run.createdAt,
      run.network,
      run.hardware,
      run.mapping,
      run.samples.length,
      formatNumber(run.analyticalDenseEnergyPj),
      formatNumber(run.analyticalDenseCycles),
      formatNumber(run.simulatedMeanEnergyPj),
      formatNumber(run.simulatedMeanCycles),
    ]);
  }
  console.log(table.toString());
  console.log(`${runs.length} ${runs.length === 1 ? 'run' : 'runs'} in ${databaseFile}`);
}

function printRun(run: StoredRun): void {
  console.log(`run ${run.id}: ${run.inputs.network.name} on ${run.inputs.hardware.name}, mapping ${run.inputs.mapping.name}`);
  console.log(`created ${run.createdAt} by stemsim ${run.toolVersion}, input key ${run.inputKey}`);

  const inputs = newTable(['input', 'sample', 'name', 'sha256', 'path']);
  for (const role of ['network', 'hardware', 'mapping', 'weights'] as const) {
    const input = run.inputs[role];
    if (input !== undefined) {
      inputs.push([role, '', input.name, shortHash(input.sha256), input.path ?? '']);
    }
  }
  for (const trace of run.inputs.traces ?? []) {
    inputs.push(['trace', trace.sample, trace.name, shortHash(trace.sha256), trace.path ?? '']);
  }
  console.log(inputs.toString());
  console.log(`options: ${JSON.stringify(run.options)}`);

  const totals = newTable(['result', 'energy pJ', 'cycles', 'off-chip bits', 'operations', 'bound']);
  for (const { label, result } of listResults(run)) {
    totals.push([label, formatNumber(result.totals.energyPj), formatNumber(result.totals.cycles), formatNumber(result.totals.offChipBits), formatNumber(result.totals.operations), result.totals.bound]);
  }
  console.log(totals.toString());

  for (const [sample, rows] of Object.entries(run.validation)) {
    const summary = summarizeValidation(rows);
    console.log(`validation of sample ${sample}: ${summary.rowsWithinTolerance} of ${summary.rowCount} rows within ${summary.tolerancePercent} %`);
    const largest = newTable(['metric', 'layer', 'timestep', 'level', 'operand', 'direction', 'analytical', 'simulated', 'error', 'known causes']);
    for (const { row, causes } of summary.largest) {
      largest.push([
        row.metric,
        row.layer,
        row.timestep === null ? 'all' : row.timestep,
        row.level ?? '',
        row.operand ?? '',
        row.direction ?? '',
        formatNumber(row.analytical),
        formatNumber(row.simulated),
        formatPercent(row.relativeErrorPercent),
        causes.length === 0 ? 'unknown' : causes.join('\n'),
      ]);
    }
    if (summary.largest.length > 0) {
      console.log(largest.toString());
    }
  }
  console.log(`summary: ${JSON.stringify(run.summary)}`);
}

function printComparison(comparison: RunComparison): void {
  console.log(`run ${comparison.secondRunId} against run ${comparison.firstRunId}`);

  const changedInputs = comparison.inputs.filter((input) => !input.sameContent);
  if (changedInputs.length === 0) {
    console.log('inputs: same content');
  } else {
    const inputs = newTable(['input', 'sample', `run ${comparison.firstRunId}`, `run ${comparison.secondRunId}`]);
    for (const input of changedInputs) {
      const describe = (side: typeof input.first): string => (side === null ? 'none' : `${side.name} (${shortHash(side.sha256)})`);
      inputs.push([input.role, input.sample, describe(input.first), describe(input.second)]);
    }
    console.log(inputs.toString());
  }

  if (comparison.options.length === 0) {
    console.log('options: same');
  } else {
    for (const option of comparison.options) {
      console.log(`option ${option.key}: ${JSON.stringify(option.first) ?? 'unset'} -> ${JSON.stringify(option.second) ?? 'unset'}`);
    }
  }

  const totals = newTable(['result', 'sample', 'metric', `run ${comparison.firstRunId}`, `run ${comparison.secondRunId}`, 'change']);
  for (const row of comparison.totals) {
    totals.push([row.kind, row.sample, row.metric, formatNumber(row.first), formatNumber(row.second), formatSignedPercent(row.relativeDifferencePercent)]);
  }
  console.log(totals.toString());

  const changedLayers = comparison.layers.filter((row) => row.difference !== 0);
  if (changedLayers.length === 0) {
    console.log('per-layer figures: same');
    return;
  }
  const layers = newTable(['result', 'sample', 'layer', 'metric', `run ${comparison.firstRunId}`, `run ${comparison.secondRunId}`, 'change']);
  for (const row of changedLayers) {
    layers.push([row.kind, row.sample, row.layer ?? '', row.metric, formatNumber(row.first), formatNumber(row.second), formatSignedPercent(row.relativeDifferencePercent)]);
  }
  console.log(layers.toString());
  console.log(`${comparison.layers.length - changedLayers.length} per-layer figures are the same in both runs`);
}
