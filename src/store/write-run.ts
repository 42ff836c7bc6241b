import Database from 'better-sqlite3';
import { AccessRecord, CostResult, LayerTimestepCost } from '../metrics/types';
import { ValidationRow } from '../validate/types';
import { canonicalJson } from './canonical-json';
import { StoreError } from './errors';
import {
  BySample,
  InputRef,
  InputRole,
  NO_SAMPLE,
  ResultKind,
  SaveProgressHandler,
  SaveRunRequest,
  SparsityProfileRow,
} from './types';

const SHA256_PATTERN = /^[0-9a-f]{64}$/;

/** A cost result together with where it is stored. */
interface KeyedResult {
  kind: ResultKind;
  sample: string;
  result: CostResult;
  /** Path of the result in the request, for error messages. */
  fieldPath: string;
}

/** The rows of one saveRun call besides the run row, with their total count for progress reports. */
interface RunRows {
  inputs: Array<{ role: InputRole; sample: string; input: InputRef; fieldPath: string }>;
  results: KeyedResult[];
  rowsTotal: number;
}

/** Prepared statements of a save, compiled once per store. */
export class RunWriter {
  private readonly selectRunByKey: Database.Statement<[string], { id: number }>;
  private readonly insertRun: Database.Statement;
  private readonly insertInput: Database.Statement;
  private readonly insertRunInput: Database.Statement;
  private readonly insertResult: Database.Statement;
  private readonly insertAccess: Database.Statement;
  private readonly insertLayerTimestep: Database.Statement;
  private readonly insertValidationRow: Database.Statement;
  private readonly insertSparsityRow: Database.Statement;

  constructor(
    private readonly db: Database.Database,
    private readonly file: string,
  ) {
    this.selectRunByKey = db.prepare('SELECT id FROM runs WHERE input_key = ?');
    this.insertRun = db.prepare(
      `INSERT INTO runs (created_at, tool_version, network, hardware, mapping, off_chip_level, options_json, summary_json, input_key)
       VALUES (@createdAt, @toolVersion, @network, @hardware, @mapping, @offChipLevel, @optionsJson, @summaryJson, @inputKey)`,
    );
    this.insertInput = db.prepare('INSERT OR IGNORE INTO inputs (sha256, role, first_name) VALUES (?, ?, ?)');
    this.insertRunInput = db.prepare(
      'INSERT INTO run_inputs (run_id, role, sample, sha256, name, path) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.insertResult = db.prepare(
      `INSERT INTO results (run_id, kind, sample, source, network, hardware, mapping, timesteps, totals_json)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertAccess = db.prepare(
      `INSERT INTO accesses (result_id, layer, timestep, level, operand, direction, words, bits, energy_pj)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertLayerTimestep = db.prepare(
      `INSERT INTO layer_timesteps (result_id, layer, timestep, operations, dense_operations, compute_energy_pj, cycles,
         stall_cycles_json, bound, input_spike_rate)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertValidationRow = db.prepare(
      `INSERT INTO validation_rows (run_id, sample, metric, layer, timestep, level, operand, direction, analytical, simulated,
         difference, absolute_error, relative_error_percent, context_json)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertSparsityRow = db.prepare(
      'INSERT INTO sparsity_profiles (run_id, sample, layer, timestep, input_spike_rate) VALUES (?, ?, ?, ?, ?)',
    );
  }

  findRun(inputKey: string): number | undefined {
    return this.selectRunByKey.get(inputKey)?.id;
  }

  /**
   * Writes a run unless one with the same input key exists, and returns the run id.
   * The caller runs this inside one transaction; any throw rolls back every row written so far.
   */
  write(
    request: SaveRunRequest,
    inputKey: string,
    toolVersion: string,
    onProgress: SaveProgressHandler | undefined,
  ): number {
    const existingId = this.findRun(inputKey);
    if (existingId !== undefined) {
      return existingId;
    }

    const rows = this.collectRows(request);
    const runId = this.writeRunRow(request, inputKey, toolVersion);
    let rowsWritten = 1;
    const reportProgress = (count: number): void => {
      rowsWritten += count;
      onProgress?.(rowsWritten, rows.rowsTotal);
    };

    for (const { role, sample, input, fieldPath } of rows.inputs) {
      this.requireSha256(input.sha256, `${fieldPath}.sha256`);
      this.insertInput.run(input.sha256, role, input.name);
      this.insertRunInput.run(runId, role, sample, input.sha256, input.name, input.path ?? null);
    }
    reportProgress(rows.inputs.length);

    for (const keyed of rows.results) {
      const resultId = this.writeResultRow(runId, keyed);
      reportProgress(1);
      this.writeAccesses(resultId, keyed.result.accesses, `${keyed.fieldPath}.accesses`);
      reportProgress(keyed.result.accesses.length);
      this.writeLayerTimesteps(resultId, keyed.result.layers, `${keyed.fieldPath}.layers`);
      reportProgress(keyed.result.layers.length);
    }

    for (const [sample, validationRows] of Object.entries(request.validation ?? {})) {
      this.writeValidationRows(runId, sample, validationRows, `validation[${JSON.stringify(sample)}]`);
      reportProgress(validationRows.length);
    }

    for (const [sample, profile] of Object.entries(request.sparsityProfile ?? {})) {
      this.writeSparsityProfile(runId, sample, profile, `sparsityProfile[${JSON.stringify(sample)}]`);
      reportProgress(profile.length);
    }
    return runId;
  }

  private collectRows(request: SaveRunRequest): RunRows {
    const inputs: RunRows['inputs'] = [
      { role: 'network', sample: NO_SAMPLE, input: request.inputs.network, fieldPath: 'inputs.network' },
      { role: 'hardware', sample: NO_SAMPLE, input: request.inputs.hardware, fieldPath: 'inputs.hardware' },
      { role: 'mapping', sample: NO_SAMPLE, input: request.inputs.mapping, fieldPath: 'inputs.mapping' },
    ];
    if (request.inputs.weights !== undefined) {
      inputs.push({ role: 'weights', sample: NO_SAMPLE, input: request.inputs.weights, fieldPath: 'inputs.weights' });
    }
    (request.inputs.traces ?? []).forEach((trace, index) => {
      this.requireSampleId(trace.sample, `inputs.traces[${index}].sample`);
      inputs.push({ role: 'trace', sample: trace.sample, input: trace, fieldPath: `inputs.traces[${index}]` });
    });

    const results: KeyedResult[] = [];
    if (request.analyticalDense !== undefined) {
      results.push({ kind: 'analytical-dense', sample: NO_SAMPLE, result: request.analyticalDense, fieldPath: 'analyticalDense' });
    }
    results.push(...this.keyBySample('analytical-sparse', request.analyticalSparse, 'analyticalSparse'));
    results.push(...this.keyBySample('simulated', request.simulated, 'simulated'));

    let rowsTotal = 1 + inputs.length;
    for (const keyed of results) {
      rowsTotal += 1 + keyed.result.accesses.length + keyed.result.layers.length;
    }
    for (const validationRows of Object.values(request.validation ?? {})) {
      rowsTotal += validationRows.length;
    }
    for (const profile of Object.values(request.sparsityProfile ?? {})) {
      rowsTotal += profile.length;
    }
    return { inputs, results, rowsTotal };
  }

  private keyBySample(kind: ResultKind, bySample: BySample<CostResult> | undefined, field: string): KeyedResult[] {
    return Object.entries(bySample ?? {}).map(([sample, result]) => {
      const fieldPath = `${field}[${JSON.stringify(sample)}]`;
      this.requireSampleId(sample, fieldPath);
      return { kind, sample, result, fieldPath };
    });
  }

  private writeRunRow(request: SaveRunRequest, inputKey: string, toolVersion: string): number {
    const info = this.insertRun.run({
      createdAt: new Date().toISOString(),
      toolVersion,
      network: request.inputs.network.name,
      hardware: request.inputs.hardware.name,
      mapping: request.inputs.mapping.name,
      offChipLevel: request.offChipLevel,
      optionsJson: this.toJson(request.options, 'options'),
      summaryJson: this.toJson(request.summary, 'summary'),
      inputKey,
    });
    return Number(info.lastInsertRowid);
  }

  private writeResultRow(runId: number, keyed: KeyedResult): number {
    const { result, fieldPath } = keyed;
    const info = this.insertResult.run(
      runId,
      keyed.kind,
      keyed.sample,
      result.source,
      result.network,
      result.hardware,
      result.mapping,
      this.requireCount(result.timesteps, `${fieldPath}.timesteps`),
      this.toJson(result.totals, `${fieldPath}.totals`),
    );
    return Number(info.lastInsertRowid);
  }

  private writeAccesses(resultId: number, accesses: AccessRecord[], fieldPath: string): void {
    accesses.forEach((access, index) => {
      const at = `${fieldPath}[${index}]`;
      this.insertAccess.run(
        resultId,
        access.layer,
        this.requireCount(access.timestep, `${at}.timestep`),
        access.level,
        access.operand,
        access.direction,
        this.requireFinite(access.words, `${at}.words`),
        this.requireFinite(access.bits, `${at}.bits`),
        this.requireFinite(access.energyPj, `${at}.energyPj`),
      );
    });
  }

  private writeLayerTimesteps(resultId: number, layers: LayerTimestepCost[], fieldPath: string): void {
    layers.forEach((row, index) => {
      const at = `${fieldPath}[${index}]`;
      this.insertLayerTimestep.run(
        resultId,
        row.layer,
        this.requireCount(row.timestep, `${at}.timestep`),
        this.requireFinite(row.operations, `${at}.operations`),
        this.requireFinite(row.denseOperations, `${at}.denseOperations`),
        this.requireFinite(row.computeEnergyPj, `${at}.computeEnergyPj`),
        this.requireFinite(row.cycles, `${at}.cycles`),
        this.toJson(row.stallCycles, `${at}.stallCycles`),
        row.bound,
        this.requireFinite(row.inputSpikeRate, `${at}.inputSpikeRate`),
      );
    });
  }

  private writeValidationRows(runId: number, sample: string, rows: ValidationRow[], fieldPath: string): void {
    rows.forEach((row, index) => {
      const at = `${fieldPath}[${index}]`;
      this.insertValidationRow.run(
        runId,
        sample,
        row.metric,
        row.layer,
        row.timestep === null ? null : this.requireCount(row.timestep, `${at}.timestep`),
        row.level,
        row.operand,
        row.direction,
        this.requireFinite(row.analytical, `${at}.analytical`),
        this.requireFinite(row.simulated, `${at}.simulated`),
        this.requireFinite(row.difference, `${at}.difference`),
        this.requireFinite(row.absoluteError, `${at}.absoluteError`),
        row.relativeErrorPercent === null ? null : this.requireFinite(row.relativeErrorPercent, `${at}.relativeErrorPercent`),
        this.toJson(row.context, `${at}.context`),
      );
    });
  }

  private writeSparsityProfile(runId: number, sample: string, profile: SparsityProfileRow[], fieldPath: string): void {
    profile.forEach((row, index) => {
      const at = `${fieldPath}[${index}]`;
      this.insertSparsityRow.run(
        runId,
        sample,
        row.layer,
        this.requireCount(row.timestep, `${at}.timestep`),
        this.requireFinite(row.inputSpikeRate, `${at}.inputSpikeRate`),
      );
    });
  }

  private toJson(value: unknown, fieldPath: string): string {
    try {
      return canonicalJson(value, fieldPath);
    } catch (error) {
      throw this.invalidValue(`${(error as Error).message}`);
    }
  }

  private requireFinite(value: number, fieldPath: string): number {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw this.invalidValue(`${fieldPath} is ${String(value)}; expected a finite number`);
    }
    return value;
  }

  private requireCount(value: number, fieldPath: string): number {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw this.invalidValue(`${fieldPath} is ${String(value)}; expected an integer of 0 or more`);
    }
    return value;
  }

  private requireSha256(value: string, fieldPath: string): void {
    if (typeof value !== 'string' || !SHA256_PATTERN.test(value)) {
      throw this.invalidValue(`${fieldPath} is ${JSON.stringify(value)}; expected 64 lowercase hex digits`);
    }
  }

  private requireSampleId(value: string, fieldPath: string): void {
    if (value === NO_SAMPLE) {
      throw this.invalidValue(`${fieldPath} has an empty sample id; give each sample a non-empty id`);
    }
  }

  private invalidValue(reason: string): StoreError {
    return new StoreError(this.file, `cannot save the run, nothing was written: ${reason}`);
  }
}
