/**
 * Measures the analytical model: layer-mapping evaluations per second (one node's loop nest, `evaluateLayerNode`) and
 * whole-network estimates per second for sew-resnet18 with each schedule preset on the meta-prototype-like core (1 MB).
 * Prints the figures and writes them to the "## Analytical model" section of bench/RESULTS.md.
 * Run: npx tsx bench/estimate.bench.ts
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildLayerContext, createNodeCounts, estimate, evaluateLayerNode } from '../src/estimate';
import { buildSchedule, nodeLoopNest, resolveMapping } from '../src/mapping';
import { loadHardware, loadMappingSpec, loadNetwork } from '../src/spec/load';

const RESULTS_FILE = path.join(__dirname, 'RESULTS.md');
const SECTION = '## Analytical model';
/** Each measurement repeats until it has run this long. */
const MIN_SECONDS = 1;

/** Runs `action` repeatedly for at least MIN_SECONDS; returns the runs and the seconds they took. */
function measure(action: () => void, batch: number): { runs: number; seconds: number } {
  for (let i = 0; i < Math.min(batch, 1000); i++) action(); // warm-up for the JIT
  let runs = 0;
  const start = process.hrtime.bigint();
  let seconds = 0;
  while (seconds < MIN_SECONDS) {
    for (let i = 0; i < batch; i++) action();
    runs += batch;
    seconds = Number(process.hrtime.bigint() - start) / 1e9;
  }
  return { runs, seconds };
}

const load = os.loadavg().map((value) => value.toFixed(2)).join(', ');
const network = loadNetwork('sew-resnet18');
const hardware = loadHardware('meta-prototype-like');
const rows: string[] = [];

// Layer-mapping evaluations: b1.conv1 with its default mapping, one sequential-time node of the whole layer.
const defaultResolved = resolveMapping({ name: 'default' }, network, hardware);
const layer = network.byName.get('b1.conv1')!;
const layerMapping = defaultResolved.layers.get(layer.name)!;
const extents = { ...layer.dims, T: 1 };
const context = buildLayerContext(layer, hardware);
const nest = nodeLoopNest(layerMapping, extents);
const counts = createNodeCounts(hardware.levels.length);
const evaluation = measure(() => evaluateLayerNode(context, nest, true, counts), 100_000);
const evaluationsPerSecond = evaluation.runs / evaluation.seconds;
const withNest = measure(() => evaluateLayerNode(context, nodeLoopNest(layerMapping, extents), true, counts), 100_000);
const withNestPerSecond = withNest.runs / withNest.seconds;
console.log(`evaluateLayerNode: ${(evaluationsPerSecond / 1e6).toFixed(2)} M evaluations/s (${nest.loops.length} loops)`);
console.log(`nodeLoopNest + evaluateLayerNode: ${(withNestPerSecond / 1e6).toFixed(2)} M evaluations/s`);

// Whole-network estimates per preset, after one warm-up pass over all presets so that the JIT has compiled every path.
const presets = ['st-lbl', 'tb-lbl', 'fused', 'tb-fused', 'hybrid'].map((schedule) => `sew-resnet18-${schedule}`);
for (const preset of presets) {
  const spec = loadMappingSpec(preset).spec;
  estimate(network, hardware, spec, { detail: 'totals' });
  estimate(network, hardware, spec);
}
for (const preset of presets) {
  const spec = loadMappingSpec(preset).spec;
  const resolved = resolveMapping(spec, network, hardware, preset);
  const nodes = buildSchedule(network, resolved).length;
  const totals = measure(() => estimate(network, hardware, spec, { detail: 'totals' }), 1);
  const full = measure(() => estimate(network, hardware, spec), 1);
  const totalsPerSecond = totals.runs / totals.seconds;
  const fullPerSecond = full.runs / full.seconds;
  console.log(`${preset}: ${nodes} nodes, ${totalsPerSecond.toFixed(1)} estimates/s (totals), ${fullPerSecond.toFixed(1)} estimates/s (full)`);
  rows.push(`| ${preset} | ${nodes} | ${totalsPerSecond.toFixed(1)} | ${(1000 / totalsPerSecond).toFixed(1)} | ${fullPerSecond.toFixed(1)} |`);
}

const section = [
  SECTION,
  '',
  `Measured with \`npx tsx bench/estimate.bench.ts\` on ${new Date().toISOString().slice(0, 10)}, one run:`,
  `- CPU: ${os.cpus()[0]?.model ?? 'unknown'}, nproc ${os.cpus().length}`,
  `- Node.js ${process.version}, ${os.platform()} ${os.release()}`,
  `- load average at the start (1, 5, 15 min): ${load}; the machine is shared, so figures vary between runs`,
  '',
  `Layer-mapping evaluations on one core: sew-resnet18 b1.conv1 with its default mapping on meta-prototype-like, one sequential-time node (${nest.loops.length} temporal loops, 5 memory levels):`,
  '',
  '| what | M evaluations/s |',
  '|---|---:|',
  `| evaluateLayerNode (loop nest built once) | ${(evaluationsPerSecond / 1e6).toFixed(2)} |`,
  `| nodeLoopNest + evaluateLayerNode | ${(withNestPerSecond / 1e6).toFixed(2)} |`,
  '',
  'Whole-network estimates of sew-resnet18 on meta-prototype-like (1 MB buffer), including mapping resolution, schedule building and buffer residency; `totals` skips the per-layer, per-timestep records:',
  '',
  '| preset | nodes | estimates/s (totals) | ms per estimate (totals) | estimates/s (full) |',
  '|---|---:|---:|---:|---:|',
  ...rows,
  '',
].join('\n');

const existing = fs.existsSync(RESULTS_FILE) ? fs.readFileSync(RESULTS_FILE, 'utf8') : '# Benchmark results\n';
const start = existing.indexOf(`${SECTION}\n`);
let updated: string;
if (start < 0) {
  updated = `${existing.trimEnd()}\n\n${section}`;
} else {
  const next = existing.indexOf('\n## ', start + SECTION.length);
  updated = existing.slice(0, start) + section + (next < 0 ? '' : existing.slice(next + 1));
}
fs.writeFileSync(RESULTS_FILE, updated);
console.log(`wrote ${SECTION} in ${RESULTS_FILE}`);
