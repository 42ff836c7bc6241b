import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readVegaBundles } from '../../src/report/bundles';
import { writeReport } from '../../src/report/write-report';
import { StoreError } from '../../src/store/errors';
import { openStore, RunStore } from '../../src/store/store';
import { SaveRunRequest } from '../../src/store/types';
import { compareResults } from '../../src/validate/compare';
import { makeRunRequest } from '../store/fixtures';

const HOSTILE_LAYER = 'conv</script><script>alert(1)</script>';

/** Returns the JSON text of every inline chart spec, keyed by the id of the element it draws into. */
function extractChartSpecs(html: string): Map<string, string> {
  const specs = new Map<string, string>();
  const pattern = /<script type="application\/json" class="chart-spec" data-chart="([^"]+)">([\s\S]*?)<\/script>/g;
  for (const match of html.matchAll(pattern)) {
    specs.set(match[1], match[2]);
  }
  return specs;
}

/** Builds a run whose first layer has a name that would close a <script> element if it were not escaped. */
function makeHostileRequest(): SaveRunRequest {
  const request = makeRunRequest('report', { samples: ['sample-a', 'sample-b'] });
  const rename = (layer: string): string => (layer === 'conv1' ? HOSTILE_LAYER : layer);
  for (const result of [request.analyticalDense!, ...Object.values(request.analyticalSparse!), ...Object.values(request.simulated!)]) {
    result.accesses.forEach((access) => (access.layer = rename(access.layer)));
    result.layers.forEach((row) => (row.layer = rename(row.layer)));
  }
  for (const sample of Object.keys(request.simulated!)) {
    request.validation![sample] = compareResults(request.analyticalSparse![sample], request.simulated![sample]);
    request.sparsityProfile![sample].forEach((row) => (row.layer = rename(row.layer)));
  }
  return request;
}

/** Returns how many mark items a chart draws for its data rows. */
function expectedItemCount(spec: { title: string; data: { values: unknown[] } }): number {
  const rowCount = spec.data.values.length;

  // Line charts draw a line item and a point item per row.
  if (spec.title === 'Energy per timestep') {
    return 2 * rowCount;
  }

  // The off-chip chart also folds each row into a read and a write row.
  if (spec.title.startsWith('Off-chip')) {
    return 4 * rowCount;
  }
  return rowCount;
}

describe('writeReport', () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'stemsim-report-'));
  let store: RunStore;
  let request: SaveRunRequest;
  let runId: number;
  let html: string;
  // The page without the bundles, so that a failed toContain prints a readable text.
  let page: string;
  let outFile: string;

  beforeAll(() => {
    store = openStore(path.join(folder, 'runs.db'));
    request = makeHostileRequest();
    runId = store.saveRun(request);
    outFile = writeReport(store, [runId], path.join(folder, 'reports', `report-${runId}.html`));
    html = fs.readFileSync(outFile, 'utf8');
    page = html.slice(0, html.indexOf('<script data-bundle'));
  });

  afterAll(() => store.close());

  it('writes the file and returns its path', () => {
    expect(outFile).toBe(path.join(folder, 'reports', `report-${runId}.html`));
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
  });

  it('inlines the three vega bundles', () => {
    const bundles = readVegaBundles();
    expect(bundles.map((bundle) => bundle.packageName)).toEqual(['vega', 'vega-lite', 'vega-embed']);
    for (const bundle of bundles) {
      expect(bundle.source.length).toBeGreaterThan(50_000);
      const element = `<script data-bundle="${bundle.packageName}/${bundle.relativePath}">\n${bundle.source}\n</script>`;
      expect({ bundle: bundle.packageName, inlined: html.includes(element) }).toEqual({ bundle: bundle.packageName, inlined: true });
    }
    expect(html.includes('var n="6.4.3"')).toBe(true);
  });

  it('loads nothing from the network', () => {
    // match() returns only the offending text, so a failure does not print the whole page.
    expect(html.match(/<script[^>]*\ssrc\s*=/i)).toBeNull();
    expect(html.match(/<link\b/i)).toBeNull();
    expect(html.match(/@import/i)).toBeNull();
    expect(html.match(/(src|href)\s*=\s*["']?https?:/i)).toBeNull();
    expect(page).toContain("default-src 'none'");
  });

  it('closes every script element once', () => {
    const openings = html.match(/<script\b/gi) ?? [];
    const closings = html.match(/<\/script>/gi) ?? [];
    expect(openings).toHaveLength(closings.length);
    // 3 bundles, the loader and one spec per chart.
    expect(openings).toHaveLength(3 + 1 + extractChartSpecs(html).size);
  });

  it('embeds specs that parse as JSON', () => {
    const specs = extractChartSpecs(html);
    expect(specs.size).toBe(8);
    for (const [chartId, text] of specs) {
      const spec = JSON.parse(text) as { $schema: string; data: { values: unknown[] } };
      expect(spec.$schema).toBe('https://vega.github.io/schema/vega-lite/v6.json');
      expect(spec.data.values.length).toBeGreaterThan(0);
      expect(page).toContain(`<div class="chart" id="${chartId}"></div>`);
    }
  });

  it('embeds the run data', () => {
    const specs = [...extractChartSpecs(html).values()].map((text) => JSON.parse(text) as { title: string; data: { values: Array<Record<string, unknown>> } });
    const energy = specs.find((spec) => spec.title === 'Energy per timestep')!;
    const dense = request.analyticalDense!;
    const expectedEnergy = dense.accesses.filter((access) => access.timestep === 1).reduce((sum, access) => sum + access.energyPj, 0) +
      dense.layers.filter((row) => row.timestep === 1).reduce((sum, row) => sum + row.computeEnergyPj, 0);
    const denseRow = energy.data.values.find((row) => row.result === 'analytical, dense' && row.timestep === 1)!;
    expect(denseRow.energyPj).toBeCloseTo(expectedEnergy, 6);

    const heatmap = specs.find((spec) => spec.title === 'Input spike rate per layer and timestep')!;
    expect(heatmap.data.values).toHaveLength(request.sparsityProfile!['sample-a'].length * 2);
    expect(heatmap.data.values[0]).toEqual({ sample: 'sample-a', ...request.sparsityProfile!['sample-a'][0] });
  });

  it('escapes a hostile layer name', () => {
    expect(html.includes(HOSTILE_LAYER)).toBe(false);
    expect(page).toContain('conv&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).toContain('conv\\u003c/script>\\u003cscript>alert(1)\\u003c/script>');
  });

  it('shows summary tables', () => {
    expect(page).toContain(`<h2>Run ${runId}: test-net on test-hw, mapping test-map</h2>`);
    expect(page).toContain('<h4>Sample sample-a</h4>');
    expect(page).toContain('Largest disagreements');
    expect(page).toContain('<td>simulated, sample sample-b</td>');
    // The fixture's simulated results stall on port:global_buffer, so the cycles rows name port contention.
    expect(page).toContain('port contention: the simulator stalled');
  });

  it('draws every chart with vega', () => {
    const specs = [...extractChartSpecs(html).values()].map((text) => JSON.parse(text) as { title: string; data: { values: unknown[] } });
    const specFile = path.join(folder, 'specs.json');
    fs.writeFileSync(specFile, JSON.stringify(specs));
    const rendered = spawnSync(process.execPath, [path.join(__dirname, 'render-specs.mjs'), specFile], { encoding: 'utf8' });
    expect(rendered.stderr).toBe('');
    const outcomes = rendered.stdout.trim().split('\n').map((line) => JSON.parse(line) as { items?: Record<string, number>; error?: string });
    expect(outcomes).toHaveLength(specs.length);

    specs.forEach((spec, index) => {
      const outcome = outcomes[index];
      expect({ title: spec.title, error: outcome.error }).toEqual({ title: spec.title, error: undefined });
      const drawn = Object.values(outcome.items!).reduce((sum, count) => sum + count, 0);
      expect({ title: spec.title, drawn }).toEqual({ title: spec.title, drawn: expectedItemCount(spec) });
    });
  });

  it('covers several runs', () => {
    const secondId = store.saveRun(makeRunRequest('second report'));
    const file = writeReport(store, [runId, secondId], path.join(folder, 'two-runs.html'));
    const twoRuns = fs.readFileSync(file, 'utf8');
    const twoRunsPage = twoRuns.slice(0, twoRuns.indexOf('<script data-bundle'));
    expect(twoRunsPage).toContain('<h2>Runs</h2>');
    expect(twoRunsPage).toContain(`<section id="run-${runId}">`);
    expect(twoRunsPage).toContain(`<section id="run-${secondId}">`);
    expect(extractChartSpecs(twoRuns).size).toBe(16);
  });

  it('rejects no runs and unknown runs', () => {
    expect(() => writeReport(store, [], path.join(folder, 'none.html'))).toThrow('cannot write a report of no runs');
    expect(() => writeReport(store, [999], path.join(folder, 'missing.html'))).toThrow(StoreError);
    expect(fs.existsSync(path.join(folder, 'missing.html'))).toBe(false);
  });
});
