import { StoredRun } from '../store/types';
import { summarizeValidation } from '../validate/summary';
import { ValidationRow } from '../validate/types';
import {
  layerComparisonChart,
  layerErrorChart,
  levelOperandChart,
  offChipTrafficChart,
  sparsityHeatmap,
  timestepEnergyChart,
  VegaLiteSpec,
} from './charts';
import {
  buildBreakdownRows,
  buildLayerComparisonRows,
  buildSparsityRows,
  buildTimestepRows,
  LabelledResult,
  layerOrder,
  levelOrder,
  listResults,
} from './datasets';
import { formatNumber, formatPercent, shortHash } from './format';
import { escapeHtml, jsonForScriptElement, renderTable } from './html';

/** Hands out chart element ids that are unique within one report. */
export class ChartIds {
  private next = 1;

  take(): string {
    const id = `chart-${this.next}`;
    this.next += 1;
    return id;
  }
}

/** Renders a chart: an empty <div> that the page's loader fills, and the spec as inline JSON. */
export function renderChart(spec: VegaLiteSpec, ids: ChartIds): string {
  const id = ids.take();
  return (
    `<div class="chart" id="${id}"></div>\n` +
    `<script type="application/json" class="chart-spec" data-chart="${id}">${jsonForScriptElement(spec)}</script>`
  );
}

/**
 * Renders one run: inputs, totals, per-timestep plots, level and operand breakdown, validation and sparsity.
 * NOTE: every sample gets its own line or panel in each chart, so a run of many samples makes a long page.
 */
export function renderRunSection(run: StoredRun, ids: ChartIds): string {
  const results = listResults(run);
  const layers = layerOrder(results);
  const levels = orderLevels(levelOrder(results), run.offChipLevel);
  const parts: string[] = [];

  parts.push(`<section id="run-${run.id}">`);
  parts.push(`<h2>Run ${run.id}: ${escapeHtml(run.inputs.network.name)} on ${escapeHtml(run.inputs.hardware.name)}, mapping ${escapeHtml(run.inputs.mapping.name)}</h2>`);
  parts.push(`<p class="meta">Created ${escapeHtml(run.createdAt)} by stemsim ${escapeHtml(run.toolVersion)}. Input key ${escapeHtml(shortHash(run.inputKey))}.</p>`);
  parts.push(renderInputs(run));
  parts.push(`<h3>Options</h3>\n<pre>${escapeHtml(JSON.stringify(run.options, null, 2))}</pre>`);

  parts.push('<h3>Totals</h3>');
  parts.push(results.length === 0 ? '<p>This run stores no cost results.</p>' : renderTotals(results));

  if (results.length > 0) {
    const timestepRows = buildTimestepRows(results, run.offChipLevel);
    const breakdownRows = buildBreakdownRows(results);
    parts.push('<h3>Per timestep</h3>');
    parts.push(renderChart(timestepEnergyChart(timestepRows), ids));
    parts.push(renderChart(offChipTrafficChart(timestepRows, run.offChipLevel), ids));
    parts.push('<h3>Breakdown per memory level and operand</h3>');
    parts.push(renderChart(levelOperandChart(breakdownRows, levels, 'energyPj'), ids));
    parts.push(renderChart(levelOperandChart(breakdownRows, levels, 'bits'), ids));
  }

  parts.push('<h3>Analytical against simulated</h3>');
  parts.push(renderValidation(run, layers, ids));

  const sparsityRows = buildSparsityRows(run);
  parts.push('<h3>Sparsity profile</h3>');
  parts.push(sparsityRows.length === 0 ? '<p>This run stores no spike rates.</p>' : renderChart(sparsityHeatmap(sparsityRows, layers), ids));

  parts.push(`<h3>Summary</h3>\n<pre>${escapeHtml(JSON.stringify(run.summary, null, 2))}</pre>`);
  parts.push('</section>');
  return parts.join('\n');
}

function renderInputs(run: StoredRun): string {
  const rows: string[][] = [];
  for (const role of ['network', 'hardware', 'mapping', 'weights'] as const) {
    const input = run.inputs[role];
    if (input !== undefined) {
      rows.push([role, '', input.name, shortHash(input.sha256), input.path ?? '']);
    }
  }
  for (const trace of run.inputs.traces ?? []) {
    rows.push(['trace', trace.sample, trace.name, shortHash(trace.sha256), trace.path ?? '']);
  }
  return `<h3>Inputs</h3>\n${renderTable(['input', 'sample', 'name', 'SHA-256 (first 12 digits)', 'path'], rows)}`;
}

function renderTotals(results: LabelledResult[]): string {
  const rows = results.map(({ label, result }) => [
    label,
    formatNumber(result.totals.energyPj),
    formatNumber(result.totals.computeEnergyPj),
    formatNumber(result.totals.memoryEnergyPj),
    formatNumber(result.totals.cycles),
    formatNumber(result.totals.seconds),
    formatNumber(result.totals.offChipBits),
    formatNumber(result.totals.operations),
    result.totals.bound,
  ]);
  return renderTable(
    ['result', 'energy (pJ)', 'compute energy (pJ)', 'memory energy (pJ)', 'cycles', 'time (s)', 'off-chip traffic (bits)', 'operations', 'bound'],
    rows,
  );
}

function renderValidation(run: StoredRun, layers: string[], ids: ChartIds): string {
  const samples = Object.entries(run.validation);
  if (samples.length === 0) {
    return '<p>This run stores no validation rows.</p>';
  }
  const parts: string[] = [];
  const comparisonRows = buildLayerComparisonRows(run);
  parts.push(renderChart(layerComparisonChart(comparisonRows, layers, 'cycles'), ids));
  parts.push(renderChart(layerComparisonChart(comparisonRows, layers, 'energyPj'), ids));
  parts.push(renderChart(layerErrorChart(comparisonRows, layers), ids));

  for (const [sample, rows] of samples) {
    parts.push(`<h4>Sample ${escapeHtml(sample)}</h4>`);
    parts.push(renderValidationSummary(rows));
  }
  return parts.join('\n');
}

function renderValidationSummary(rows: ValidationRow[]): string {
  const summary = summarizeValidation(rows);
  const metricRows = summary.metrics.map((metric) => [
    metric.metric,
    String(metric.rowCount),
    String(metric.rowsWithinTolerance),
    String(metric.unboundedRowCount),
    metric.maxRelativeErrorPercent === null ? '-' : formatPercent(metric.maxRelativeErrorPercent),
    metric.meanRelativeErrorPercent === null ? '-' : formatPercent(metric.meanRelativeErrorPercent),
    formatNumber(metric.analyticalTotal),
    formatNumber(metric.simulatedTotal),
    formatPercent(metric.totalRelativeErrorPercent),
  ]);
  const metricTable = renderTable(
    ['metric', 'rows', `rows within ${summary.tolerancePercent} %`, 'rows with simulated 0', 'max error', 'mean error', 'analytical total', 'simulated total', 'error of totals'],
    metricRows,
  );

  const disagreementRows = summary.largest.map(({ row, causes }) => [
    row.metric,
    row.layer,
    row.timestep === null ? 'all' : String(row.timestep),
    row.level ?? '',
    row.operand ?? '',
    row.direction ?? '',
    formatNumber(row.analytical),
    formatNumber(row.simulated),
    formatPercent(row.relativeErrorPercent),
    causes.length === 0 ? 'unknown' : causes.join('\n'),
  ]);
  const disagreementTable =
    disagreementRows.length === 0
      ? `<p>Every row agrees within ${summary.tolerancePercent} %.</p>`
      : renderTable(
          ['metric', 'layer', 'timestep', 'level', 'operand', 'direction', 'analytical', 'simulated', 'error', 'known causes'],
          disagreementRows,
        );
  return `${metricTable}\n<h5>Largest disagreements</h5>\n${disagreementTable}`;
}

/** Puts the off-chip level first and keeps the order of the others. */
function orderLevels(levels: string[], offChipLevel: string): string[] {
  return levels.includes(offChipLevel) ? [offChipLevel, ...levels.filter((level) => level !== offChipLevel)] : levels;
}
