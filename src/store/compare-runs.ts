import { CostResult } from '../metrics/types';
import { sumLayerTotals } from '../validate/layer-totals';
import { canonicalJson } from './canonical-json';
import { InputRole, JsonValue, NO_SAMPLE, ResultKind, RunInputs, StoredRun } from './types';

/** The figures compared per result and per layer. */
export type ComparedMetric = 'energyPj' | 'cycles' | 'offChipBits' | 'operations';

export interface InputDifference {
  role: InputRole;
  sample: string;
  /** Name and hash in each run; null when the run lacks this input. */
  first: { name: string; sha256: string } | null;
  second: { name: string; sha256: string } | null;
  sameContent: boolean;
}

export interface OptionDifference {
  /** Dotted path of the option, for example `simulate.seed`. */
  key: string;
  first: JsonValue | undefined;
  second: JsonValue | undefined;
}

/** One figure of two runs; the second run is compared against the first. */
export interface FigureComparison {
  kind: ResultKind;
  sample: string;
  /** Layer name, or null for the result's totals. */
  layer: string | null;
  metric: ComparedMetric;
  first: number | null;
  second: number | null;
  /** second - first; null when either run lacks the figure. */
  difference: number | null;
  /** 100 x (second - first) / first; null when either run lacks the figure or the first is 0. */
  relativeDifferencePercent: number | null;
}

export interface RunComparison {
  firstRunId: number;
  secondRunId: number;
  /** Every input of either run, with whether its content is the same in both. */
  inputs: InputDifference[];
  /** Only the options whose values differ. */
  options: OptionDifference[];
  totals: FigureComparison[];
  layers: FigureComparison[];
}

const TOTAL_METRICS: readonly ComparedMetric[] = ['energyPj', 'cycles', 'offChipBits', 'operations'];
const LAYER_METRICS: readonly Exclude<ComparedMetric, 'offChipBits'>[] = ['energyPj', 'cycles', 'operations'];

/** Compares two stored runs: inputs, options, totals of each result, and per-layer figures. */
export function compareStoredRuns(first: StoredRun, second: StoredRun): RunComparison {
  const totals: FigureComparison[] = [];
  const layers: FigureComparison[] = [];

  for (const { kind, sample } of unionResultKeys(first, second)) {
    const firstResult = resultOf(first, kind, sample);
    const secondResult = resultOf(second, kind, sample);
    for (const metric of TOTAL_METRICS) {
      totals.push(
        compareFigure(kind, sample, null, metric, firstResult?.totals[metric] ?? null, secondResult?.totals[metric] ?? null),
      );
    }

    const firstLayers = new Map(firstResult === undefined ? [] : sumLayerTotals(firstResult).map((row) => [row.layer, row]));
    const secondLayers = new Map(secondResult === undefined ? [] : sumLayerTotals(secondResult).map((row) => [row.layer, row]));
    for (const layer of new Set([...firstLayers.keys(), ...secondLayers.keys()])) {
      for (const metric of LAYER_METRICS) {
        layers.push(
          compareFigure(
            kind,
            sample,
            layer,
            metric,
            firstLayers.get(layer)?.[metric] ?? null,
            secondLayers.get(layer)?.[metric] ?? null,
          ),
        );
      }
    }
  }

  return {
    firstRunId: first.id,
    secondRunId: second.id,
    inputs: compareInputs(first.inputs, second.inputs),
    options: compareOptions(first.options, second.options),
    totals,
    layers,
  };
}

function compareFigure(
  kind: ResultKind,
  sample: string,
  layer: string | null,
  metric: ComparedMetric,
  first: number | null,
  second: number | null,
): FigureComparison {
  const difference = first === null || second === null ? null : second - first;
  const relativeDifferencePercent = difference === null || first === 0 || first === null ? null : (100 * difference) / first;
  return { kind, sample, layer, metric, first, second, difference, relativeDifferencePercent };
}

function unionResultKeys(first: StoredRun, second: StoredRun): Array<{ kind: ResultKind; sample: string }> {
  const keys: Array<{ kind: ResultKind; sample: string }> = [];
  if (first.analyticalDense !== null || second.analyticalDense !== null) {
    keys.push({ kind: 'analytical-dense', sample: NO_SAMPLE });
  }
  for (const sample of new Set([...Object.keys(first.analyticalSparse), ...Object.keys(second.analyticalSparse)])) {
    keys.push({ kind: 'analytical-sparse', sample });
  }
  for (const sample of new Set([...Object.keys(first.simulated), ...Object.keys(second.simulated)])) {
    keys.push({ kind: 'simulated', sample });
  }
  return keys;
}

function resultOf(run: StoredRun, kind: ResultKind, sample: string): CostResult | undefined {
  if (kind === 'analytical-dense') {
    return run.analyticalDense ?? undefined;
  }
  return kind === 'analytical-sparse' ? run.analyticalSparse[sample] : run.simulated[sample];
}

function compareInputs(first: RunInputs, second: RunInputs): InputDifference[] {
  const entries = (inputs: RunInputs): Map<string, { role: InputRole; sample: string; name: string; sha256: string }> => {
    const map = new Map<string, { role: InputRole; sample: string; name: string; sha256: string }>();
    for (const role of ['network', 'hardware', 'mapping', 'weights'] as const) {
      const input = inputs[role];
      if (input !== undefined) {
        map.set(`${role}/`, { role, sample: NO_SAMPLE, name: input.name, sha256: input.sha256 });
      }
    }
    for (const trace of inputs.traces ?? []) {
      map.set(`trace/${trace.sample}`, { role: 'trace', sample: trace.sample, name: trace.name, sha256: trace.sha256 });
    }
    return map;
  };

  const firstEntries = entries(first);
  const secondEntries = entries(second);
  const differences: InputDifference[] = [];
  for (const key of new Set([...firstEntries.keys(), ...secondEntries.keys()])) {
    const firstEntry = firstEntries.get(key);
    const secondEntry = secondEntries.get(key);
    const { role, sample } = (firstEntry ?? secondEntry)!;
    differences.push({
      role,
      sample,
      first: firstEntry === undefined ? null : { name: firstEntry.name, sha256: firstEntry.sha256 },
      second: secondEntry === undefined ? null : { name: secondEntry.name, sha256: secondEntry.sha256 },
      sameContent: firstEntry?.sha256 === secondEntry?.sha256,
    });
  }
  return differences;
}

/** Lists the leaf options that differ, with dotted keys. */
function compareOptions(first: JsonValue, second: JsonValue): OptionDifference[] {
  const firstLeaves = flattenOptions(first);
  const secondLeaves = flattenOptions(second);
  const differences: OptionDifference[] = [];
  for (const key of [...new Set([...firstLeaves.keys(), ...secondLeaves.keys()])].sort()) {
    const firstValue = firstLeaves.get(key);
    const secondValue = secondLeaves.get(key);
    const firstText = firstValue === undefined ? undefined : canonicalJson(firstValue);
    const secondText = secondValue === undefined ? undefined : canonicalJson(secondValue);
    if (firstText !== secondText) {
      differences.push({ key, first: firstValue, second: secondValue });
    }
  }
  return differences;
}

function flattenOptions(value: JsonValue, prefix = '', leaves = new Map<string, JsonValue>()): Map<string, JsonValue> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, child] of Object.entries(value)) {
      flattenOptions(child, prefix === '' ? key : `${prefix}.${key}`, leaves);
    }
  } else {
    leaves.set(prefix, value);
  }
  return leaves;
}
