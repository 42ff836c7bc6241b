import { StoredRun } from '../store/types';
import { readVegaBundles } from './bundles';
import { formatNumber } from './format';
import { escapeHtml, renderTable } from './html';
import { ChartIds, renderRunSection } from './run-section';

/**
 * Content-Security-Policy of the report: nothing may be fetched, so the page draws the same offline.
 * Vega compiles its expressions with `new Function`, which needs 'unsafe-eval'.
 */
const CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; img-src data:";

const STYLE = `
body { font-family: system-ui, sans-serif; margin: 2rem; color: #222; max-width: 1400px; }
table.figures { border-collapse: collapse; margin: 0.5rem 0 1rem; font-size: 0.9rem; }
table.figures th, table.figures td { border: 1px solid #ccc; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; white-space: pre-line; }
table.figures th { background: #f2f2f2; }
table.figures td.number { text-align: right; white-space: nowrap; }
pre { background: #f7f7f7; padding: 0.5rem; overflow-x: auto; font-size: 0.85rem; }
.chart { margin: 1rem 0; }
.chart-error { color: #b00020; }
.meta { color: #555; }
section { border-top: 2px solid #ddd; margin-top: 2rem; }
`;

/**
 * Draws every chart with vega-embed. When all are drawn it sets data-charts-drawn on <body> to
 * their count, and data-charts-failed to the number that failed, so a headless browser can check.
 */
const LOADER = `
(function () {
  var specElements = document.querySelectorAll('script.chart-spec');
  var failed = 0;
  var drawings = Array.prototype.map.call(specElements, function (element) {
    var target = document.getElementById(element.getAttribute('data-chart'));
    return vegaEmbed(target, JSON.parse(element.textContent), { actions: false, renderer: 'svg' }).catch(function (error) {
      failed += 1;
      target.className += ' chart-error';
      target.textContent = 'This chart failed to draw: ' + error.message;
    });
  });
  Promise.all(drawings).then(function () {
    document.body.setAttribute('data-charts-drawn', String(drawings.length - failed));
    document.body.setAttribute('data-charts-failed', String(failed));
  });
})();
`;

export interface PageContext {
  databaseFile: string;
  toolVersion: string;
  /** Time the report was written, ISO 8601. */
  writtenAt: string;
}

/** Renders the whole report page: styles, one section per run, the inlined vega bundles and the chart loader. */
export function renderReportPage(runs: StoredRun[], context: PageContext): string {
  const ids = new ChartIds();
  const runList = runs.map((run) => String(run.id)).join(', ');
  const scripts = readVegaBundles()
    .map((bundle) => `<script data-bundle="${escapeHtml(`${bundle.packageName}/${bundle.relativePath}`)}">\n${bundle.source}\n</script>`)
    .join('\n');

  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<title>stemsim report: run ${escapeHtml(runList)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>stemsim report: run ${escapeHtml(runList)}</h1>
<p class="meta">Written ${escapeHtml(context.writtenAt)} by stemsim ${escapeHtml(context.toolVersion)} from ${escapeHtml(context.databaseFile)}.</p>
${runs.length > 1 ? renderRunOverview(runs) : ''}
${runs.map((run) => renderRunSection(run, ids)).join('\n')}
${scripts}
<script>${LOADER}</script>
</body>
</html>
`;
}

function renderRunOverview(runs: StoredRun[]): string {
  const rows = runs.map((run) => {
    const simulated = Object.values(run.simulated);
    const meanSimulated = (field: 'energyPj' | 'cycles'): number | null =>
      simulated.length === 0 ? null : simulated.reduce((sum, result) => sum + result.totals[field], 0) / simulated.length;
    return [
      String(run.id),
      run.createdAt,
      run.inputs.network.name,
      run.inputs.hardware.name,
      run.inputs.mapping.name,
      String(simulated.length),
      formatNumber(run.analyticalDense?.totals.energyPj),
      formatNumber(run.analyticalDense?.totals.cycles),
      formatNumber(meanSimulated('energyPj')),
      formatNumber(meanSimulated('cycles')),
    ];
  });
  return `<h2>Runs</h2>\n${renderTable(
    ['run', 'created', 'network', 'hardware', 'mapping', 'samples', 'dense energy (pJ)', 'dense cycles', 'simulated mean energy (pJ)', 'simulated mean cycles'],
    rows,
  )}`;
}
