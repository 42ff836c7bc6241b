import Database from 'better-sqlite3';
import { AccessDirection, AccessRecord, CostResult, CostSource, CostTotals, LatencyBound, LayerTimestepCost } from '../metrics/types';
import { Operand } from '../spec/dims';
import { ValidationContext, ValidationMetric, ValidationRow } from '../validate/types';
import { StoreError } from './errors';
import {
  BySample,
  InputRef,
  InputRole,
  JsonObject,
  NO_SAMPLE,
  ResultKind,
  RunInputs,
  RunListing,
  SparsityProfileRow,
  StoredRun,
  TraceInputRef,
} from './types';

interface RunRow {
  id: number;
  created_at: string;
  tool_version: string;
  network: string;
  hardware: string;
  mapping: string;
  off_chip_level: string;
  options_json: string;
  summary_json: string;
  input_key: string;
}

interface ResultRow {
  id: number;
  run_id: number;
  kind: ResultKind;
  sample: string;
  source: CostSource;
  network: string;
  hardware: string;
  mapping: string;
  timesteps: number;
  totals_json: string;
}

/** Reads stored runs back into the shapes they were saved in. */
export class RunReader {
  constructor(
    private readonly db: Database.Database,
    private readonly file: string,
  ) {}

  /** Lists every run, oldest first. */
  listRuns(): RunListing[] {
    const runs = this.db.prepare('SELECT * FROM runs ORDER BY id').all() as RunRow[];
    const results = this.db
      .prepare('SELECT id, run_id, kind, sample, totals_json FROM results ORDER BY id')
      .all() as Array<Pick<ResultRow, 'id' | 'run_id' | 'kind' | 'sample' | 'totals_json'>>;
    const resultsByRun = groupBy(results, (result) => result.run_id);

    return runs.map((run) => {
      const runResults = resultsByRun.get(run.id) ?? [];
      const dense = runResults.find((result) => result.kind === 'analytical-dense');
      const denseTotals = dense === undefined ? undefined : (JSON.parse(dense.totals_json) as CostTotals);
      const simulatedTotals = runResults
        .filter((result) => result.kind === 'simulated')
        .map((result) => JSON.parse(result.totals_json) as CostTotals);
      const samples = [...new Set(runResults.map((result) => result.sample).filter((sample) => sample !== NO_SAMPLE))];

      return {
        id: run.id,
        createdAt: run.created_at,
        toolVersion: run.tool_version,
        network: run.network,
        hardware: run.hardware,
        mapping: run.mapping,
        samples: samples.sort(),
        inputKey: run.input_key,
        analyticalDenseEnergyPj: denseTotals?.energyPj ?? null,
        analyticalDenseCycles: denseTotals?.cycles ?? null,
        simulatedMeanEnergyPj: mean(simulatedTotals.map((totals) => totals.energyPj)),
        simulatedMeanCycles: mean(simulatedTotals.map((totals) => totals.cycles)),
      };
    });
  }

  latestRunId(): number | undefined {
    const row = this.db.prepare('SELECT max(id) AS id FROM runs').get() as { id: number | null };
    return row.id ?? undefined;
  }

  /** Reads a whole run; throws a StoreError when no run has this id. */
  getRun(runId: number): StoredRun {
    const run = this.db.prepare('SELECT * FROM runs WHERE id = ?').get(runId) as RunRow | undefined;
    if (run === undefined) {
      throw new StoreError(this.file, `run ${runId} not found; \`stemsim db list\` lists the stored runs`);
    }

    const analyticalSparse: BySample<CostResult> = {};
    const simulated: BySample<CostResult> = {};
    let analyticalDense: CostResult | null = null;
    const results = this.db.prepare('SELECT * FROM results WHERE run_id = ? ORDER BY id').all(runId) as ResultRow[];
    for (const row of results) {
      const result = this.readResult(row);
      if (row.kind === 'analytical-dense') {
        analyticalDense = result;
      } else if (row.kind === 'analytical-sparse') {
        analyticalSparse[row.sample] = result;
      } else {
        simulated[row.sample] = result;
      }
    }

    return {
      id: run.id,
      createdAt: run.created_at,
      toolVersion: run.tool_version,
      inputKey: run.input_key,
      inputs: this.readInputs(runId),
      options: JSON.parse(run.options_json) as JsonObject,
      offChipLevel: run.off_chip_level,
      analyticalDense,
      analyticalSparse,
      simulated,
      validation: this.readValidation(runId),
      sparsityProfile: this.readSparsityProfile(runId),
      summary: JSON.parse(run.summary_json) as JsonObject,
    };
  }

  private readInputs(runId: number): RunInputs {
    const rows = this.db
      .prepare('SELECT role, sample, sha256, name, path FROM run_inputs WHERE run_id = ? ORDER BY rowid')
      .all(runId) as Array<{ role: InputRole; sample: string; sha256: string; name: string; path: string | null }>;
    const inputs: Partial<RunInputs> = {};
    const traces: TraceInputRef[] = [];

    for (const row of rows) {
      const input: InputRef = { name: row.name, sha256: row.sha256 };
      if (row.path !== null) {
        input.path = row.path;
      }
      if (row.role === 'trace') {
        traces.push({ ...input, sample: row.sample });
      } else {
        inputs[row.role] = input;
      }
    }
    if (inputs.network === undefined || inputs.hardware === undefined || inputs.mapping === undefined) {
      throw new StoreError(this.file, `run ${runId} lacks its network, hardware or mapping input; the database is damaged`);
    }
    return { ...(inputs as RunInputs), ...(traces.length > 0 ? { traces } : {}) };
  }

  private readResult(row: ResultRow): CostResult {
    const accessRows = this.db
      .prepare('SELECT * FROM accesses WHERE result_id = ? ORDER BY rowid')
      .all(row.id) as Array<Omit<AccessRecord, 'energyPj'> & { energy_pj: number }>;
    const layerRows = this.db.prepare('SELECT * FROM layer_timesteps WHERE result_id = ? ORDER BY rowid').all(row.id) as Array<{
      layer: string;
      timestep: number;
      operations: number;
      dense_operations: number;
      compute_energy_pj: number;
      cycles: number;
      stall_cycles_json: string;
      bound: LatencyBound;
      input_spike_rate: number;
    }>;

    const accesses: AccessRecord[] = accessRows.map((access) => ({
      layer: access.layer,
      timestep: access.timestep,
      level: access.level,
      operand: access.operand as Operand,
      direction: access.direction as AccessDirection,
      words: access.words,
      bits: access.bits,
      energyPj: access.energy_pj,
    }));
    const layers: LayerTimestepCost[] = layerRows.map((layer) => ({
      layer: layer.layer,
      timestep: layer.timestep,
      operations: layer.operations,
      denseOperations: layer.dense_operations,
      computeEnergyPj: layer.compute_energy_pj,
      cycles: layer.cycles,
      stallCycles: JSON.parse(layer.stall_cycles_json) as Record<string, number>,
      bound: layer.bound,
      inputSpikeRate: layer.input_spike_rate,
    }));

    return {
      source: row.source,
      network: row.network,
      hardware: row.hardware,
      mapping: row.mapping,
      timesteps: row.timesteps,
      accesses,
      layers,
      totals: JSON.parse(row.totals_json) as CostTotals,
    };
  }

  private readValidation(runId: number): BySample<ValidationRow[]> {
    const rows = this.db.prepare('SELECT * FROM validation_rows WHERE run_id = ? ORDER BY rowid').all(runId) as Array<{
      sample: string;
      metric: ValidationMetric;
      layer: string;
      timestep: number | null;
      level: string | null;
      operand: Operand | null;
      direction: AccessDirection | null;
      analytical: number;
      simulated: number;
      difference: number;
      absolute_error: number;
      relative_error_percent: number | null;
      context_json: string;
    }>;
    const bySample: BySample<ValidationRow[]> = {};
    for (const row of rows) {
      (bySample[row.sample] ??= []).push({
        metric: row.metric,
        layer: row.layer,
        timestep: row.timestep,
        level: row.level,
        operand: row.operand,
        direction: row.direction,
        analytical: row.analytical,
        simulated: row.simulated,
        difference: row.difference,
        absoluteError: row.absolute_error,
        relativeErrorPercent: row.relative_error_percent,
        context: JSON.parse(row.context_json) as ValidationContext,
      });
    }
    return bySample;
  }

  private readSparsityProfile(runId: number): BySample<SparsityProfileRow[]> {
    const rows = this.db
      .prepare('SELECT sample, layer, timestep, input_spike_rate FROM sparsity_profiles WHERE run_id = ? ORDER BY rowid')
      .all(runId) as Array<{ sample: string; layer: string; timestep: number; input_spike_rate: number }>;
    const bySample: BySample<SparsityProfileRow[]> = {};
    for (const row of rows) {
      (bySample[row.sample] ??= []).push({ layer: row.layer, timestep: row.timestep, inputSpikeRate: row.input_spike_rate });
    }
    return bySample;
  }
}

function groupBy<T, K>(items: T[], keyOf: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group === undefined) {
      groups.set(key, [item]);
    } else {
      group.push(item);
    }
  }
  return groups;
}

function mean(values: number[]): number | null {
  if (values.length === 0) {
    return null;
  }
  return values.reduce((total, value) => total + value, 0) / values.length;
}
