import { AccessRecord, CostResult, LayerTimestepCost } from '../metrics/types';
import { LayerTotals, sumLayerTotals } from './layer-totals';
import { relativeErrorPercent } from './relative-error';
import { ValidationContext, ValidationMetric, ValidationRow } from './types';

type AccessKey = Pick<AccessRecord, 'layer' | 'timestep' | 'level' | 'operand' | 'direction'>;

const PER_LAYER_METRICS: readonly Exclude<ValidationMetric, 'words'>[] = ['cycles', 'energyPj', 'operations'];

/**
 * Compares an analytical result with a simulated one.
 * Returns one `words` row per layer, timestep, level, operand and direction that either result
 * contains (a record missing from one side counts as 0 there), then `cycles`, `energyPj` and
 * `operations` rows per layer summed over timesteps. Rows keep the order in which the analytical
 * result lists them, and rows only the simulated result has come after them.
 * Throws when the two results describe different networks, hardware or mappings.
 */
export function compareResults(analytical: CostResult, simulated: CostResult): ValidationRow[] {
  assertSameDesign(analytical, simulated);

  const analyticalRates = spikeRatesByLayerTimestep(analytical.layers);
  const simulatedRates = spikeRatesByLayerTimestep(simulated.layers);
  const analyticalWords = sumWordsByKey(analytical.accesses);
  const simulatedWords = sumWordsByKey(simulated.accesses);
  const rows: ValidationRow[] = [];

  for (const [keyText, key] of unionKeys(analyticalWords, simulatedWords)) {
    const rateKey = layerTimestepKey(key.layer, key.timestep);
    const context: ValidationContext = {};
    setIfDefined(context, 'analyticalSpikeRate', analyticalRates.get(rateKey));
    setIfDefined(context, 'simulatedSpikeRate', simulatedRates.get(rateKey));
    rows.push(
      makeRow({
        metric: 'words',
        ...key,
        analytical: analyticalWords.get(keyText)?.words ?? 0,
        simulated: simulatedWords.get(keyText)?.words ?? 0,
        context,
      }),
    );
  }

  const analyticalLayers = new Map(sumLayerTotals(analytical).map((totals) => [totals.layer, totals]));
  const simulatedLayers = new Map(sumLayerTotals(simulated).map((totals) => [totals.layer, totals]));
  const layerNames = [...new Set([...analyticalLayers.keys(), ...simulatedLayers.keys()])];

  for (const layer of layerNames) {
    const analyticalTotals = analyticalLayers.get(layer);
    const simulatedTotals = simulatedLayers.get(layer);
    for (const metric of PER_LAYER_METRICS) {
      rows.push(
        makeRow({
          metric,
          layer,
          timestep: null,
          level: null,
          operand: null,
          direction: null,
          analytical: analyticalTotals?.[metric] ?? 0,
          simulated: simulatedTotals?.[metric] ?? 0,
          context: perLayerContext(metric, analyticalTotals, simulatedTotals),
        }),
      );
    }
  }
  return rows;
}

function assertSameDesign(analytical: CostResult, simulated: CostResult): void {
  for (const field of ['network', 'hardware', 'mapping'] as const) {
    if (analytical[field] !== simulated[field]) {
      throw new Error(
        `cannot compare results of different ${field}s: the analytical result has ${field} ` +
          `'${analytical[field]}' and the simulated result has '${simulated[field]}'; ` +
          `compare results of the same ${field}`,
      );
    }
  }
}

function makeRow(
  fields: Omit<ValidationRow, 'difference' | 'absoluteError' | 'relativeErrorPercent'>,
): ValidationRow {
  const difference = fields.analytical - fields.simulated;
  return {
    ...fields,
    difference,
    absoluteError: Math.abs(difference),
    relativeErrorPercent: relativeErrorPercent(fields.analytical, fields.simulated),
  };
}

function perLayerContext(
  metric: ValidationMetric,
  analyticalTotals: LayerTotals | undefined,
  simulatedTotals: LayerTotals | undefined,
): ValidationContext {
  const context: ValidationContext = {};
  if (analyticalTotals !== undefined && analyticalTotals.timestepCount > 0) {
    context.analyticalSpikeRate = analyticalTotals.meanInputSpikeRate;
    if (metric === 'cycles') {
      context.analyticalBound = analyticalTotals.slowestTimestepBound;
    }
  }
  if (simulatedTotals !== undefined && simulatedTotals.timestepCount > 0) {
    context.simulatedSpikeRate = simulatedTotals.meanInputSpikeRate;
    if (metric === 'cycles') {
      context.simulatedStallCycles = simulatedTotals.stallCycles;
    }
  }
  return context;
}

function setIfDefined<K extends keyof ValidationContext>(
  context: ValidationContext,
  field: K,
  value: ValidationContext[K] | undefined,
): void {
  if (value !== undefined) {
    context[field] = value;
  }
}

function layerTimestepKey(layer: string, timestep: number): string {
  return JSON.stringify([layer, timestep]);
}

function accessKeyText(access: AccessKey): string {
  return JSON.stringify([access.layer, access.timestep, access.level, access.operand, access.direction]);
}

function spikeRatesByLayerTimestep(layers: LayerTimestepCost[]): Map<string, number> {
  return new Map(layers.map((row) => [layerTimestepKey(row.layer, row.timestep), row.inputSpikeRate]));
}

/** Sums the words of access records that share a key; a result may split one transfer over several records. */
function sumWordsByKey(accesses: AccessRecord[]): Map<string, { key: AccessKey; words: number }> {
  const sums = new Map<string, { key: AccessKey; words: number }>();
  for (const access of accesses) {
    const keyText = accessKeyText(access);
    const sum = sums.get(keyText);
    if (sum === undefined) {
      const { layer, timestep, level, operand, direction } = access;
      sums.set(keyText, { key: { layer, timestep, level, operand, direction }, words: access.words });
    } else {
      sum.words += access.words;
    }
  }
  return sums;
}

function unionKeys(
  first: Map<string, { key: AccessKey }>,
  second: Map<string, { key: AccessKey }>,
): Map<string, AccessKey> {
  const keys = new Map<string, AccessKey>();
  for (const [keyText, { key }] of [...first, ...second]) {
    if (!keys.has(keyText)) {
      keys.set(keyText, key);
    }
  }
  return keys;
}
