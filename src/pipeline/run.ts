import * as fs from 'node:fs';
import * as path from 'node:path';
import { captureTraces, defaultWeightsDir } from '../capture/capture';
import { readTraceFile } from '../capture/trace-io';
import { TraceFile } from '../capture/trace-types';
import { estimate } from '../estimate/estimate';
import { defaultMapping } from '../mapping/default';
import { resolveMapping } from '../mapping/resolve';
import { CostResult } from '../metrics/types';
import { TraceActivity } from '../simulate/activity/trace-activity';
import { spikeFramesFromTrace } from '../simulate/activity/trace-file';
import { simulate } from '../simulate/simulate';
import { SpecError } from '../spec/errors';
import { resolveHardware } from '../spec/hardware';
import { HardwareSchema, HardwareSpec } from '../spec/hardware-schema';
import { PROJECT_ROOT, readJsonFile, resolveSpecPath } from '../spec/load-json';
import { loadMappingSpec, loadNetworkSpec } from '../spec/load';
import { MappingSpec } from '../spec/mapping-schema';
import { resolveNetwork } from '../spec/network';
import { validateAgainstSchema } from '../spec/validate-schema';
import { sha256OfFile, sha256OfText } from '../store/input-key';
import { canonicalJson } from '../store/canonical-json';
import { openStore } from '../store/store';
import { InputRef, SaveRunRequest, SparsityProfileRow, TraceInputRef } from '../store/types';
import { compareResults } from '../validate/compare';
import { summarizeValidation, ValidationSummary } from '../validate/summary';
import { ValidationRow } from '../validate/types';
import { layerInputRates } from './trace-sparsity';

export interface RunPipelineOptions {
  /** Network spec: a name under models/networks or a path. */
  network: string;
  hardware: string;
  /** Mapping spec; the default mapping of the network and hardware when left out. */
  mapping?: string;
  /** Folder with trained or calibrated weights; default models/weights/<network>. */
  weightsDir?: string;
  /** A trace file to replay; default traces/<network>/<network>.trace.pb. Ignored when `events` is given. */
  traceFile?: string;
  /** Event recordings (files or folders) to capture a new trace from. */
  events?: string[];
  /** At most this many samples (recordings to capture, or samples of the trace). */
  limit?: number;
  backend?: string;
  stemsAssumptions?: boolean;
  /** SQLite database file; the default is the one `resolveDatabasePath` returns. */
  db?: string;
  /** Folder for captured traces; default stemsim-data/traces. */
  traceOutDir?: string;
  onStage?: (stage: string, detail: string) => void;
  onProgress?: (stage: string, done: number, total: number) => void;
}

export interface SampleSummary {
  sample: string;
  label: number | null;
  predictedClass: number | null;
  meanInputSpikeRate: number;
  analyticalEnergyPj: number;
  simulatedEnergyPj: number;
  analyticalCycles: number;
  simulatedCycles: number;
  analyticalOffChipBits: number;
  simulatedOffChipBits: number;
  validation: ValidationSummary;
}

export interface RunPipelineResult {
  runId: number;
  reused: boolean;
  databaseFile: string;
  traceFile: string;
  /** 'trained', or 'calibrated, not trained' for networks whose weights only had their thresholds set. */
  weightsOrigin: string;
  network: string;
  hardware: string;
  mapping: string;
  dense: { energyPj: number; cycles: number; offChipBits: number };
  samples: SampleSummary[];
}

interface LoadedInputs {
  networkRef: InputRef;
  hardwareRef: InputRef;
  mappingRef: InputRef;
  mapping: MappingSpec;
  network: ReturnType<typeof resolveNetwork>;
  hardware: ReturnType<typeof resolveHardware>;
}

function loadInputs(options: RunPipelineOptions): LoadedInputs {
  const networkFile = loadNetworkSpec(options.network);
  const network = resolveNetwork(networkFile.spec, networkFile.file);

  const hardwareFile = resolveSpecPath(options.hardware, 'hardware');
  const hardwareSpec = validateAgainstSchema<HardwareSpec>(HardwareSchema, readJsonFile(hardwareFile), hardwareFile);
  const hardware = resolveHardware(hardwareSpec, hardwareFile);

  let mapping: MappingSpec;
  let mappingRef: InputRef;
  if (options.mapping) {
    const mappingFile = loadMappingSpec(options.mapping);
    mapping = mappingFile.spec;
    mappingRef = { name: mapping.name, sha256: sha256OfFile(mappingFile.file), path: mappingFile.file };
  } else {
    // The default mapping has no file, so its identity is the hash of its canonical JSON.
    mapping = defaultMapping(network, hardware);
    mappingRef = { name: mapping.name, sha256: sha256OfText(canonicalJson(mapping)) };
  }

  return {
    networkRef: { name: network.name, sha256: sha256OfFile(networkFile.file), path: networkFile.file },
    hardwareRef: { name: hardware.name, sha256: sha256OfFile(hardwareFile), path: hardwareFile },
    mappingRef,
    mapping,
    network,
    hardware,
  };
}

function defaultTraceFile(network: string): string {
  return path.join(PROJECT_ROOT, 'traces', network, `${network}.trace.pb`);
}

/** Captures a trace from event recordings, or returns the trace file to replay. */
async function obtainTrace(options: RunPipelineOptions, networkName: string): Promise<string> {
  if (options.events && options.events.length > 0) {
    options.onStage?.('capture', `capturing spike traces from ${options.events.join(', ')}`);
    const result = await captureTraces({
      network: options.network,
      weightsDir: options.weightsDir ?? defaultWeightsDir(networkName),
      eventFiles: options.events,
      limit: options.limit,
      outDir: options.traceOutDir ?? path.resolve('stemsim-data', 'traces'),
      backend: options.backend,
      onProgress: (done, total) => options.onProgress?.('capture', done, total),
    });
    // Name the trace by its content, so that a later capture never overwrites a trace that a stored run points to.
    const named = path.join(path.dirname(result.traceFile), `${networkName}-${sha256OfFile(result.traceFile).slice(0, 12)}.trace.pb`);
    fs.renameSync(result.traceFile, named);
    const samples = result.samples === 1 ? '1 sample' : `${result.samples} samples`;
    options.onStage?.('capture', `captured ${samples} on the ${result.backend} backend (weights ${result.weightsOrigin}) into ${named}`);
    return named;
  }

  const traceFile = options.traceFile ?? defaultTraceFile(networkName);
  if (!fs.existsSync(traceFile)) {
    throw new SpecError(
      traceFile,
      '',
      'trace file not found; give one with --trace, or capture one from recordings with --events FILE|DIR',
    );
  }
  return traceFile;
}

function checkTraceMatchesNetwork(trace: TraceFile, traceFile: string, networkName: string): void {
  if (trace.header.networkName !== networkName) {
    throw new SpecError(
      traceFile,
      '/header/networkName',
      `the trace was captured with network '${trace.header.networkName}', not '${networkName}'; capture a trace for this network`,
    );
  }
}

function meanOf(values: number[]): number {
  return values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length;
}

function densePart(result: CostResult): RunPipelineResult['dense'] {
  return { energyPj: result.totals.energyPj, cycles: result.totals.cycles, offChipBits: result.totals.offChipBits };
}

/**
 * Runs the main job: trace (captured or replayed), dense and sparsity-aware estimates, a trace-driven simulation per
 * sample, their validation, and one stored run. A run whose inputs and options are already stored is reused.
 */
export async function runPipeline(options: RunPipelineOptions): Promise<RunPipelineResult> {
  const inputs = loadInputs(options);
  const { network, hardware } = inputs;
  const resolvedMapping = resolveMapping(inputs.mapping, network, hardware, inputs.mappingRef.path ?? inputs.mapping.name, {
    stemsAssumptions: options.stemsAssumptions,
  });

  const traceFile = await obtainTrace(options, network.name);
  const trace = readTraceFile(traceFile);
  checkTraceMatchesNetwork(trace, traceFile, network.name);
  const sampleCount = Math.min(trace.samples.length, options.limit ?? trace.samples.length);
  const traceSha256 = sha256OfFile(traceFile);
  const traceRefs: TraceInputRef[] = trace.samples
    .slice(0, sampleCount)
    .map((sample) => ({ name: path.basename(traceFile), sha256: traceSha256, path: traceFile, sample: sample.sampleId }));

  const store = openStore(options.db);
  try {
    const runOptions = { stemsAssumptions: options.stemsAssumptions ?? false, samples: sampleCount };
    const request: Pick<SaveRunRequest, 'inputs' | 'options'> = {
      inputs: { network: inputs.networkRef, hardware: inputs.hardwareRef, mapping: inputs.mappingRef, traces: traceRefs },
      options: runOptions,
    };
    const existing = store.findRun(store.inputKeyOf(request));
    if (existing !== undefined) {
      options.onStage?.('store', `these inputs were run before, so run ${existing} is reused`);
      return { ...summarizeStoredRun(store.getRun(existing), existing, store.file, traceFile), weightsOrigin: trace.header.weightsOrigin };
    }

    options.onStage?.('estimate', 'analytical model, dense spikes');
    const analyticalDense = estimate(network, hardware, resolvedMapping, {});

    const analyticalSparse: Record<string, CostResult> = {};
    const simulated: Record<string, CostResult> = {};
    const validation: Record<string, ValidationRow[]> = {};
    const sparsityProfile: Record<string, SparsityProfileRow[]> = {};
    const samples: SampleSummary[] = [];

    for (let index = 0; index < sampleCount; index++) {
      const sample = trace.samples[index];
      const id = sample.sampleId;
      options.onProgress?.('simulate', index, sampleCount);

      const rates = layerInputRates(network, trace.header, sample);
      analyticalSparse[id] = estimate(network, hardware, resolvedMapping, { sparsity: rates });

      const activity = new TraceActivity(spikeFramesFromTrace(trace, network, index, traceFile), traceFile);
      simulated[id] = simulate(resolvedMapping, { activity }).cost;

      validation[id] = compareResults(analyticalSparse[id], simulated[id]);
      sparsityProfile[id] = Object.entries(rates).flatMap(([layer, perTimestep]) =>
        perTimestep.map((inputSpikeRate, timestep) => ({ layer, timestep, inputSpikeRate })),
      );
      samples.push(
        summarizeSample(id, sample.label ?? null, sample.predictedClass ?? null, rates, analyticalSparse[id], simulated[id], validation[id]),
      );
    }
    options.onProgress?.('simulate', sampleCount, sampleCount);

    options.onStage?.('store', `writing the run to ${store.file}`);
    const summary = {
      weightsOrigin: trace.header.weightsOrigin,
      dense: densePart(analyticalDense),
      samples: samples.map((sample) => ({ ...sample, validation: undefined, largestDisagreements: describeLargest(sample.validation) })),
    };
    const runId = store.saveRun({
      ...request,
      offChipLevel: hardware.dram.name,
      analyticalDense,
      analyticalSparse,
      simulated,
      validation,
      sparsityProfile,
      summary: JSON.parse(JSON.stringify(summary)),
    });

    return {
      runId,
      reused: false,
      databaseFile: store.file,
      traceFile,
      weightsOrigin: trace.header.weightsOrigin,
      network: network.name,
      hardware: hardware.name,
      mapping: resolvedMapping.name,
      dense: densePart(analyticalDense),
      samples,
    };
  } finally {
    store.close();
  }
}

function summarizeSample(
  sample: string,
  label: number | null,
  predictedClass: number | null,
  rates: Record<string, number[]>,
  analytical: CostResult,
  simulated: CostResult,
  rows: ValidationRow[],
): SampleSummary {
  return {
    sample,
    label,
    predictedClass,
    meanInputSpikeRate: meanOf(Object.values(rates).flat()),
    analyticalEnergyPj: analytical.totals.energyPj,
    simulatedEnergyPj: simulated.totals.energyPj,
    analyticalCycles: analytical.totals.cycles,
    simulatedCycles: simulated.totals.cycles,
    analyticalOffChipBits: analytical.totals.offChipBits,
    simulatedOffChipBits: simulated.totals.offChipBits,
    validation: summarizeValidation(rows),
  };
}

/** Formats a count with at most 2 decimals: the analytical model spreads work over timesteps, so its counts can be fractional. */
function formatFigure(value: number): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

/** Describes each of the largest disagreements in one line, with its known causes. */
export function describeLargest(summary: ValidationSummary): string[] {
  return summary.largest.map(({ row, causes }) => {
    const where = [row.layer, row.level, row.operand, row.direction, row.timestep === null ? null : `t=${row.timestep}`]
      .filter((part) => part !== null)
      .join(' ');
    const error = row.relativeErrorPercent === null ? 'unbounded' : `${row.relativeErrorPercent.toFixed(2)}%`;
    return `${row.metric} ${where}: analytical ${formatFigure(row.analytical)}, simulated ${formatFigure(row.simulated)} (${error})${causes.length ? `; ${causes.join('; ')}` : ''}`;
  });
}

function summarizeStoredRun(
  run: ReturnType<ReturnType<typeof openStore>['getRun']>,
  runId: number,
  databaseFile: string,
  traceFile: string,
): Omit<RunPipelineResult, 'weightsOrigin'> {
  const printed = (run.summary.samples ?? []) as { sample: string; label: number | null; predictedClass: number | null }[];
  const samples = Object.keys(run.simulated).map((sample) => {
    const stored = printed.find((entry) => entry.sample === sample);
    const rates: Record<string, number[]> = {};
    for (const row of run.sparsityProfile[sample] ?? []) {
      if (!rates[row.layer]) rates[row.layer] = [];
      rates[row.layer][row.timestep] = row.inputSpikeRate;
    }
    return summarizeSample(
      sample,
      stored?.label ?? null,
      stored?.predictedClass ?? null,
      rates,
      run.analyticalSparse[sample],
      run.simulated[sample],
      run.validation[sample] ?? [],
    );
  });
  return {
    runId,
    reused: true,
    databaseFile,
    traceFile,
    network: run.inputs.network.name,
    hardware: run.inputs.hardware.name,
    mapping: run.inputs.mapping.name,
    dense: run.analyticalDense ? densePart(run.analyticalDense) : { energyPj: 0, cycles: 0, offChipBits: 0 },
    samples,
  };
}
