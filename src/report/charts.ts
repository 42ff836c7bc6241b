import { BreakdownRow, LayerComparisonRow, SparsityRow, TimestepRow } from './datasets';

/** A Vega-Lite specification, kept as plain JSON. */
export type VegaLiteSpec = Record<string, unknown>;

const SCHEMA_URL = 'https://vega.github.io/schema/vega-lite/v6.json';
const PLOT_WIDTH = 640;
const PLOT_HEIGHT = 260;
const FACET_WIDTH = 260;
const FACET_HEIGHT = 200;
const FACET_COLUMNS = 3;

/** Draws total energy per timestep, one line per result. */
export function timestepEnergyChart(rows: TimestepRow[]): VegaLiteSpec {
  return {
    $schema: SCHEMA_URL,
    title: 'Energy per timestep',
    width: PLOT_WIDTH,
    height: PLOT_HEIGHT,
    data: { values: rows },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'timestep', type: 'quantitative', title: 'timestep', axis: { tickMinStep: 1 } },
      y: { field: 'energyPj', type: 'quantitative', title: 'energy (pJ)' },
      color: { field: 'result', type: 'nominal', title: 'result' },
      tooltip: [
        { field: 'result', type: 'nominal' },
        { field: 'timestep', type: 'quantitative' },
        { field: 'energyPj', type: 'quantitative', title: 'energy (pJ)', format: '.4s' },
        { field: 'computeEnergyPj', type: 'quantitative', title: 'compute energy (pJ)', format: '.4s' },
        { field: 'memoryEnergyPj', type: 'quantitative', title: 'memory energy (pJ)', format: '.4s' },
      ],
    },
  };
}

/** Draws off-chip read and write bits per timestep, one line per result and direction. */
export function offChipTrafficChart(rows: TimestepRow[], offChipLevel: string): VegaLiteSpec {
  return {
    $schema: SCHEMA_URL,
    title: `Off-chip traffic per timestep (level ${offChipLevel})`,
    width: PLOT_WIDTH,
    height: PLOT_HEIGHT,
    data: { values: rows },
    transform: [
      { fold: ['offChipReadBits', 'offChipWriteBits'], as: ['field', 'bits'] },
      { calculate: "datum.field === 'offChipReadBits' ? 'read' : 'write'", as: 'direction' },
    ],
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'timestep', type: 'quantitative', title: 'timestep', axis: { tickMinStep: 1 } },
      y: { field: 'bits', type: 'quantitative', title: 'off-chip traffic (bits)' },
      color: { field: 'result', type: 'nominal', title: 'result' },
      strokeDash: { field: 'direction', type: 'nominal', title: 'direction' },
      tooltip: [
        { field: 'result', type: 'nominal' },
        { field: 'timestep', type: 'quantitative' },
        { field: 'direction', type: 'nominal' },
        { field: 'bits', type: 'quantitative', format: ',.0f' },
      ],
    },
  };
}

/** Draws stacked bars of a figure per memory level, stacked by operand, one panel per result. */
export function levelOperandChart(rows: BreakdownRow[], levels: string[], field: 'energyPj' | 'bits'): VegaLiteSpec {
  const title = field === 'energyPj' ? 'energy (pJ)' : 'bits moved';
  return {
    $schema: SCHEMA_URL,
    title: `Access ${title} per memory level and operand`,
    data: { values: rows },
    facet: { field: 'result', type: 'nominal', title: null },
    columns: FACET_COLUMNS,
    spec: {
      width: FACET_WIDTH,
      height: FACET_HEIGHT,
      mark: 'bar',
      encoding: {
        x: { field: 'level', type: 'nominal', title: 'memory level', sort: levels },
        y: { field, type: 'quantitative', aggregate: 'sum', title, stack: 'zero' },
        color: { field: 'operand', type: 'nominal', title: 'operand' },
        tooltip: [
          { field: 'level', type: 'nominal' },
          { field: 'operand', type: 'nominal' },
          { field, type: 'quantitative', aggregate: 'sum', title, format: '.4s' },
        ],
      },
    },
  };
}

/** Draws analytical and simulated bars per layer for one metric, one panel per sample. */
export function layerComparisonChart(rows: LayerComparisonRow[], layers: string[], metric: 'cycles' | 'energyPj'): VegaLiteSpec {
  const title = metric === 'cycles' ? 'latency (cycles)' : 'energy (pJ)';
  return {
    $schema: SCHEMA_URL,
    title: `Analytical against simulated ${title} per layer`,
    data: { values: rows.filter((row) => row.metric === metric) },
    facet: { field: 'sample', type: 'nominal', title: 'sample' },
    columns: FACET_COLUMNS,
    spec: {
      width: FACET_WIDTH,
      height: FACET_HEIGHT,
      mark: 'bar',
      encoding: {
        x: { field: 'layer', type: 'nominal', title: 'layer', sort: layers },
        xOffset: { field: 'source', type: 'nominal' },
        y: { field: 'value', type: 'quantitative', title },
        color: { field: 'source', type: 'nominal', title: 'source' },
        tooltip: [
          { field: 'layer', type: 'nominal' },
          { field: 'source', type: 'nominal' },
          { field: 'value', type: 'quantitative', title, format: ',.0f' },
          { field: 'relativeErrorPercent', type: 'quantitative', title: 'error (%)', format: '.2f' },
        ],
      },
    },
  };
}

/** Draws the relative error per layer of cycles and energy, one panel per sample. */
export function layerErrorChart(rows: LayerComparisonRow[], layers: string[]): VegaLiteSpec {
  return {
    $schema: SCHEMA_URL,
    title: 'Relative error of the analytical model per layer (%)',
    data: { values: rows.filter((row) => row.source === 'simulated' && row.relativeErrorPercent !== null) },
    facet: { field: 'sample', type: 'nominal', title: 'sample' },
    columns: FACET_COLUMNS,
    spec: {
      width: FACET_WIDTH,
      height: FACET_HEIGHT,
      mark: 'bar',
      encoding: {
        x: { field: 'layer', type: 'nominal', title: 'layer', sort: layers },
        xOffset: { field: 'metric', type: 'nominal' },
        y: { field: 'relativeErrorPercent', type: 'quantitative', title: 'error (%)' },
        color: { field: 'metric', type: 'nominal', title: 'metric' },
        tooltip: [
          { field: 'layer', type: 'nominal' },
          { field: 'metric', type: 'nominal' },
          { field: 'relativeErrorPercent', type: 'quantitative', title: 'error (%)', format: '.2f' },
        ],
      },
    },
  };
}

/** Draws the input spike rate per layer and timestep as a heatmap, one panel per sample. */
export function sparsityHeatmap(rows: SparsityRow[], layers: string[]): VegaLiteSpec {
  return {
    $schema: SCHEMA_URL,
    title: 'Input spike rate per layer and timestep',
    data: { values: rows },
    facet: { field: 'sample', type: 'nominal', title: 'sample' },
    columns: 2,
    spec: {
      width: 400,
      height: { step: 14 },
      mark: 'rect',
      encoding: {
        x: { field: 'timestep', type: 'ordinal', title: 'timestep' },
        y: { field: 'layer', type: 'nominal', title: 'layer', sort: layers },
        color: { field: 'inputSpikeRate', type: 'quantitative', title: 'input spike rate', scale: { scheme: 'viridis', domainMin: 0 } },
        tooltip: [
          { field: 'layer', type: 'nominal' },
          { field: 'timestep', type: 'ordinal' },
          { field: 'inputSpikeRate', type: 'quantitative', title: 'input spike rate', format: '.4f' },
        ],
      },
    },
  };
}
