import * as fs from 'node:fs';
import * as path from 'node:path';
import { resolveMapping } from '../mapping';
import { PROJECT_ROOT } from '../spec/load-json';
import { loadMappingSpec, loadNetwork } from '../spec/load';
import { MappingSpec } from '../spec/mapping-schema';
import { describeCandidate } from './candidate';
import { CandidateEvaluator, EvaluatedCandidate } from './evaluator';
import { findBaselines } from './baselines';
import { OBJECTIVE_NAMES, ObjectiveName } from './objectives';
import { SearchResult } from './search';
import { formatBufferSize, formatCount, formatMegabytes, formatRatio, markdownTable } from './units';

/** One saved mapping: what it is in the result, its file and the file of the network variant it needs. */
export interface SavedMapping {
  role: string;
  /** null for a front point when only the best mappings are written. */
  file: string | null;
  /** The network spec to use with this mapping: the original, or a state variant written next to the mappings; null when `file` is. */
  networkFile: string | null;
  point: EvaluatedCandidate;
  description: string;
}

export interface SavedResult {
  directory: string;
  best: Record<ObjectiveName, SavedMapping>;
  front: SavedMapping[];
  summaryFile: string;
  tableFile: string;
  /** null when only the best mappings are written. */
  pointsFile: string | null;
}

export interface SaveOptions {
  /** Write only the best mapping per objective and the summaries, not the Pareto-front mappings or points.csv. */
  bestOnly?: boolean;
}

function writeJson(file: string, value: unknown): void {
  fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

/**
 * Writes one mapping spec and checks that it loads back (schema) and resolves against its network variant (capacity,
 * causality), so that `stemsim estimate` and `simulate` accept it.
 */
function saveMapping(
  evaluator: CandidateEvaluator,
  directory: string,
  name: string,
  role: string,
  point: EvaluatedCandidate,
  networkFiles: Map<number | null, string>,
): SavedMapping {
  const schema = path.relative(directory, path.join(PROJECT_ROOT, 'models', 'schemas', 'mapping.schema.json'));
  const spec: MappingSpec = { $schema: schema, ...evaluator.mappingSpec(point.candidate, name) };
  const file = path.join(directory, `${name}.json`);
  writeJson(file, spec);

  const stateBlocks = point.candidate.stateBlocks;
  let networkFile = networkFiles.get(stateBlocks);
  if (networkFile === undefined) {
    networkFile = path.join(directory, `network-state-last-${stateBlocks}.json`);
    const variant = { ...evaluator.networkSpec, options: { ...evaluator.networkSpec.options, keepStateInLastBlocks: stateBlocks! } };
    variant.description = `${evaluator.networkSpec.description ?? evaluator.networkSpec.name} Variant with neuron state only in the last ${stateBlocks} block(s).`;
    variant.$schema = path.relative(directory, path.join(PROJECT_ROOT, 'models', 'schemas', 'network.schema.json'));
    writeJson(networkFile, variant);
    networkFiles.set(stateBlocks, networkFile);
  }

  const loaded = loadMappingSpec(file);
  resolveMapping(loaded.spec, loadNetwork(networkFile), evaluator.hardware, file, { stemsAssumptions: evaluator.sources.stemsAssumptions });
  const network = evaluator.variant(stateBlocks).network;
  return { role, file, networkFile, point, description: describeCandidate(point.candidate, network.blocks, network.timesteps) };
}

/** Builds the summary table: the two layer-by-layer baselines, the best point per objective and the Pareto front. */
export function summaryTable(result: SearchResult, saved: Pick<SavedResult, 'best' | 'front'>, timesteps: number): string {
  const baselines = findBaselines(result.points, timesteps);
  const reference = baselines['st-lbl'];
  const header = ['mapping', 'off-chip MB', 'energy pJ', 'cycles', 'required buffer', 'off-chip vs ST-LBL', 'energy vs ST-LBL', 'schedule'];
  const row = (label: string, point: EvaluatedCandidate, description: string) => {
    const o = point.objectives;
    return [
      label,
      formatMegabytes(o.offChipBits),
      formatCount(o.energyPj),
      formatCount(o.cycles),
      formatBufferSize(o.onChipBits),
      reference ? formatRatio(reference.objectives.offChipBits / o.offChipBits) : '-',
      reference ? formatRatio(reference.objectives.energyPj / o.energyPj) : '-',
      description,
    ];
  };
  const rows: string[][] = [];
  for (const [name, point] of Object.entries(baselines)) rows.push(row(`baseline ${name}`, point!, 'uniform, default layer mappings'));
  for (const objective of OBJECTIVE_NAMES) {
    const entry = saved.best[objective];
    rows.push(row(`best ${objective} (${path.basename(entry.file!)})`, entry.point, entry.description));
  }
  for (const entry of saved.front) rows.push(row(entry.file ? path.basename(entry.file) : entry.role, entry.point, entry.description));
  return markdownTable(header, rows, new Set([1, 2, 3, 4, 5, 6]));
}

function csvField(value: string | number): string {
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * Writes the result under `directory`: the best mapping per objective, the front, a summary table, a summary JSON and
 * every point as CSV (the front mappings and the CSV unless `options.bestOnly`).
 */
export function saveResult(evaluator: CandidateEvaluator, result: SearchResult, directory: string, header: string, options: SaveOptions = {}): SavedResult {
  fs.mkdirSync(directory, { recursive: true });
  const network = evaluator.baseNetwork;
  const networkFiles = new Map<number | null, string>([[null, evaluator.networkFile]]);
  const prefix = `${network.name}-explored`;

  const best = Object.fromEntries(
    OBJECTIVE_NAMES.map((objective) => [objective, saveMapping(evaluator, directory, `${prefix}-best-${objective}`, `best ${objective}`, result.best[objective], networkFiles)]),
  ) as Record<ObjectiveName, SavedMapping>;
  const digits = String(result.front.length).length;
  const front = result.front.map((point, index): SavedMapping => {
    const role = `front ${index + 1}`;
    if (!options.bestOnly) return saveMapping(evaluator, directory, `${prefix}-front-${String(index + 1).padStart(digits, '0')}`, role, point, networkFiles);
    const network = evaluator.variant(point.candidate.stateBlocks).network;
    return { role, file: null, networkFile: null, point, description: describeCandidate(point.candidate, network.blocks, network.timesteps) };
  });

  const table = summaryTable(result, { best, front }, network.timesteps);
  const tableFile = path.join(directory, 'summary.md');
  fs.writeFileSync(tableFile, `${header}\n\n${table}\n`);

  const entry = (mapping: SavedMapping) => ({
    role: mapping.role,
    file: mapping.file === null ? null : path.basename(mapping.file),
    // Relative to the output folder, so that the folder can be moved or committed.
    networkFile: mapping.networkFile === null ? null : path.relative(directory, mapping.networkFile),
    description: mapping.description,
    objectives: mapping.point.objectives,
    candidate: mapping.point.candidate,
  });
  const summaryFile = path.join(directory, 'summary.json');
  writeJson(summaryFile, {
    network: network.name,
    hardware: evaluator.hardware.name,
    stemsAssumptions: evaluator.sources.stemsAssumptions,
    evaluations: result.evaluations,
    validPoints: result.points.length,
    rejected: result.rejected.length,
    baselines: Object.fromEntries(Object.entries(findBaselines(result.points, network.timesteps)).map(([name, point]) => [name, point!.objectives])),
    best: Object.fromEntries(OBJECTIVE_NAMES.map((objective) => [objective, entry(best[objective])])),
    front: front.map(entry),
  });

  if (options.bestOnly) return { directory, best, front, summaryFile, tableFile, pointsFile: null };
  const pointsFile = path.join(directory, 'points.csv');
  const lines = ['off_chip_bits,energy_pj,cycles,required_buffer_bits,nodes,schedule'];
  for (const point of result.points) {
    const o = point.objectives;
    const variant = evaluator.variant(point.candidate.stateBlocks).network;
    const description = describeCandidate(point.candidate, variant.blocks, variant.timesteps);
    lines.push([o.offChipBits, o.energyPj, o.cycles, o.onChipBits, point.nodes, description].map(csvField).join(','));
  }
  fs.writeFileSync(pointsFile, `${lines.join('\n')}\n`);

  return { directory, best, front, summaryFile, tableFile, pointsFile };
}
