import * as fs from 'node:fs';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../spec/load-json';
import { loadHardware } from '../spec/load';
import { findBaselines } from './baselines';
import { describeCandidate } from './candidate';
import { EvaluatedCandidate } from './evaluator';
import { explore, ExploreOptions } from './explore';
import { Objectives } from './objectives';
import { formatBufferSize, formatMegabytes, formatRatio, markdownTable } from './units';

/** One hardware of a buffer-size sweep: the layer-by-layer baselines and the best explored points. */
export interface SweepRow {
  hardware: string;
  bufferBits: number;
  stLbl: Objectives;
  tbLbl: Objectives;
  bestOffChip: EvaluatedCandidate;
  bestEnergy: EvaluatedCandidate;
  /** Schedule of the best off-chip point, as a one-line description. */
  bestOffChipSchedule: string;
  seconds: number;
}

/** Evaluations per hardware of a sweep when no budget is given. */
export const DEFAULT_SWEEP_BUDGET = 400;

/** Shipped hardware specs of a family: the one named `family` and those named `family-...`, by buffer capacity. */
export function hardwareFamily(family: string): string[] {
  const directory = path.join(PROJECT_ROOT, 'models', 'hardware');
  const names = fs
    .readdirSync(directory)
    .filter((file) => file.endsWith('.json'))
    .map((file) => file.replace(/\.json$/, ''))
    .filter((name) => name === family || name.startsWith(`${family}-`));
  if (names.length === 0) {
    throw new Error(`no hardware spec in ${directory} is named '${family}' or '${family}-...'; pick a family such as meta-prototype-like`);
  }
  const capacity = new Map(names.map((name) => [name, loadHardware(name).buffer.capacityBits ?? Infinity]));
  return names.sort((a, b) => capacity.get(a)! - capacity.get(b)! || a.localeCompare(b));
}

/** Explores a network on every hardware of a family and compares the best points with layer by layer. */
export async function sweepBufferSizes(
  family: string,
  options: Omit<ExploreOptions, 'hardware'>,
  onHardware: (row: SweepRow) => void = () => {},
): Promise<SweepRow[]> {
  const rows: SweepRow[] = [];
  for (const hardware of hardwareFamily(family)) {
    const run = await explore({ ...options, hardware, budget: options.budget ?? DEFAULT_SWEEP_BUDGET });
    const network = run.evaluator.baseNetwork;
    const baselines = findBaselines(run.result.points, network.timesteps);
    const bestOffChip = run.result.best.offchip;
    const variant = run.evaluator.variant(bestOffChip.candidate.stateBlocks).network;
    const row: SweepRow = {
      hardware: run.evaluator.hardware.name,
      bufferBits: run.evaluator.hardware.buffer.capacityBits ?? Infinity,
      stLbl: baselines['st-lbl']!.objectives,
      tbLbl: baselines['tb-lbl']!.objectives,
      bestOffChip,
      bestEnergy: run.result.best.energy,
      bestOffChipSchedule: describeCandidate(bestOffChip.candidate, variant.blocks, variant.timesteps),
      seconds: run.seconds,
    };
    rows.push(row);
    onHardware(row);
  }
  return rows;
}

/** Formats a sweep as a markdown table: off-chip megabytes and energy, best against both layer-by-layer baselines. */
export function sweepTable(rows: SweepRow[]): string {
  const header = [
    'buffer',
    'ST-LBL off-chip MB',
    'TB-LBL off-chip MB',
    'best off-chip MB',
    'ST-LBL / best',
    'TB-LBL / best',
    'ST-LBL energy uJ',
    'TB-LBL energy uJ',
    'best energy uJ',
    'ST-LBL / best',
    'TB-LBL / best',
    'best off-chip schedule',
  ];
  const microjoules = (pj: number) => (pj / 1e6).toFixed(1);
  const body = rows.map((row) => {
    const offChip = row.bestOffChip.objectives.offChipBits;
    const energy = row.bestEnergy.objectives.energyPj;
    return [
      `${formatBufferSize(row.bufferBits)} (${row.hardware})`,
      formatMegabytes(row.stLbl.offChipBits),
      formatMegabytes(row.tbLbl.offChipBits),
      formatMegabytes(offChip),
      formatRatio(row.stLbl.offChipBits / offChip),
      formatRatio(row.tbLbl.offChipBits / offChip),
      microjoules(row.stLbl.energyPj),
      microjoules(row.tbLbl.energyPj),
      microjoules(energy),
      formatRatio(row.stLbl.energyPj / energy),
      formatRatio(row.tbLbl.energyPj / energy),
      row.bestOffChipSchedule,
    ];
  });
  return markdownTable(header, body, new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]));
}
