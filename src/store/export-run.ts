import { NO_SAMPLE, ResultKind, StoredRun } from './types';
import { CostResult } from '../metrics/types';

export type ExportFormat = 'csv' | 'json';

export const EXPORT_FORMATS: readonly ExportFormat[] = ['csv', 'json'];

/**
 * Columns of the CSV export. Each line is one stored row, and `record` names its table:
 * `access`, `layer_timestep`, `validation` or `sparsity`. Cells that do not apply to a record are empty.
 */
export const CSV_COLUMNS = [
  'record',
  'kind',
  'sample',
  'layer',
  'timestep',
  'level',
  'operand',
  'direction',
  'words',
  'bits',
  'energy_pj',
  'operations',
  'dense_operations',
  'compute_energy_pj',
  'cycles',
  'stall_cycles_json',
  'bound',
  'input_spike_rate',
  'metric',
  'analytical',
  'simulated',
  'difference',
  'absolute_error',
  'relative_error_percent',
] as const;

type CsvColumn = (typeof CSV_COLUMNS)[number];
type CsvRecord = Partial<Record<CsvColumn, string | number | null>>;

/**
 * Formats a run as JSON (the whole StoredRun, indented) or as CSV (every access, layer-timestep,
 * validation and sparsity row, see CSV_COLUMNS; run metadata and summaries are only in the JSON).
 */
export function formatRun(run: StoredRun, format: ExportFormat): string {
  if (format === 'json') {
    return `${JSON.stringify(run, null, 2)}\n`;
  }
  return formatRunAsCsv(run);
}

function formatRunAsCsv(run: StoredRun): string {
  const lines = [CSV_COLUMNS.join(',')];
  const addRecord = (record: CsvRecord): void => {
    lines.push(CSV_COLUMNS.map((column) => csvCell(record[column])).join(','));
  };

  const results: Array<[ResultKind, string, CostResult]> = [];
  if (run.analyticalDense !== null) {
    results.push(['analytical-dense', NO_SAMPLE, run.analyticalDense]);
  }
  for (const [sample, result] of Object.entries(run.analyticalSparse)) {
    results.push(['analytical-sparse', sample, result]);
  }
  for (const [sample, result] of Object.entries(run.simulated)) {
    results.push(['simulated', sample, result]);
  }

  for (const [kind, sample, result] of results) {
    for (const access of result.accesses) {
      addRecord({
        record: 'access',
        kind,
        sample,
        layer: access.layer,
        timestep: access.timestep,
        level: access.level,
        operand: access.operand,
        direction: access.direction,
        words: access.words,
        bits: access.bits,
        energy_pj: access.energyPj,
      });
    }
    for (const row of result.layers) {
      addRecord({
        record: 'layer_timestep',
        kind,
        sample,
        layer: row.layer,
        timestep: row.timestep,
        operations: row.operations,
        dense_operations: row.denseOperations,
        compute_energy_pj: row.computeEnergyPj,
        cycles: row.cycles,
        stall_cycles_json: JSON.stringify(row.stallCycles),
        bound: row.bound,
        input_spike_rate: row.inputSpikeRate,
      });
    }
  }

  for (const [sample, rows] of Object.entries(run.validation)) {
    for (const row of rows) {
      addRecord({
        record: 'validation',
        sample,
        layer: row.layer,
        timestep: row.timestep,
        level: row.level,
        operand: row.operand,
        direction: row.direction,
        metric: row.metric,
        analytical: row.analytical,
        simulated: row.simulated,
        difference: row.difference,
        absolute_error: row.absoluteError,
        relative_error_percent: row.relativeErrorPercent,
      });
    }
  }

  for (const [sample, rows] of Object.entries(run.sparsityProfile)) {
    for (const row of rows) {
      addRecord({ record: 'sparsity', sample, layer: row.layer, timestep: row.timestep, input_spike_rate: row.inputSpikeRate });
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Quotes a cell as RFC 4180 requires when it contains a comma, a quote or a line break. */
function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) {
    return '';
  }
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
