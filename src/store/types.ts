import { CostResult } from '../metrics/types';
import { ValidationRow } from '../validate/types';

/** A JSON value: what options and summaries may contain. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** One input file of a run, identified by the SHA-256 of its content. */
export interface InputRef {
  /** The spec's name, or the file name for weights and traces. */
  name: string;
  /** SHA-256 of the file content, 64 lowercase hex digits. */
  sha256: string;
  /** Path the file was read from, stored for provenance; not part of the run's identity. */
  path?: string;
}

/** A trace input: the spike or event recording of one sample. */
export interface TraceInputRef extends InputRef {
  /** Sample id, the key of this sample's results in a SaveRunRequest. */
  sample: string;
}

export interface RunInputs {
  network: InputRef;
  hardware: InputRef;
  mapping: InputRef;
  weights?: InputRef;
  traces?: TraceInputRef[];
}

export type InputRole = 'network' | 'hardware' | 'mapping' | 'weights' | 'trace';

/** Input spike rate of one layer at one timestep of one sample (1 is dense). */
export interface SparsityProfileRow {
  layer: string;
  timestep: number;
  inputSpikeRate: number;
}

/** Results keyed by sample id. */
export type BySample<T> = Record<string, T>;

/** Everything one pipeline run produced, saved in one transaction by RunStore.saveRun. */
export interface SaveRunRequest {
  inputs: RunInputs;
  /** Pipeline options that change results; part of the run's identity. */
  options: JsonObject;
  /** Name of the off-chip memory level (the hardware spec's DRAM level), used for off-chip traffic plots. */
  offChipLevel: string;
  /** The analytical model with every spike rate at 1. */
  analyticalDense?: CostResult;
  /** The analytical model with each sample's mean spike rates. */
  analyticalSparse?: BySample<CostResult>;
  simulated?: BySample<CostResult>;
  /** Rows of compareResults(analyticalSparse[sample], simulated[sample]). */
  validation?: BySample<ValidationRow[]>;
  sparsityProfile?: BySample<SparsityProfileRow[]>;
  summary: JsonObject;
}

/** Called inside the save transaction after each block of rows; `rowsWritten` counts rows of all tables. */
export type SaveProgressHandler = (rowsWritten: number, rowsTotal: number) => void;

export interface SaveRunOptions {
  onProgress?: SaveProgressHandler;
}

/** A run as `stemsim db list` shows it. */
export interface RunListing {
  id: number;
  /** ISO 8601 time in UTC. */
  createdAt: string;
  toolVersion: string;
  network: string;
  hardware: string;
  mapping: string;
  samples: string[];
  inputKey: string;
  /** Totals of the dense analytical result; null when the run has none. */
  analyticalDenseEnergyPj: number | null;
  analyticalDenseCycles: number | null;
  /** Mean over samples of the simulated totals; null when the run has no simulated result. */
  simulatedMeanEnergyPj: number | null;
  simulatedMeanCycles: number | null;
}

/** A stored run read back: the saved request plus what the store added. */
export interface StoredRun extends Required<Omit<SaveRunRequest, 'analyticalDense'>> {
  id: number;
  createdAt: string;
  toolVersion: string;
  inputKey: string;
  analyticalDense: CostResult | null;
}

/** The kind of a stored cost result. */
export type ResultKind = 'analytical-dense' | 'analytical-sparse' | 'simulated';

export const RESULT_KINDS: readonly ResultKind[] = ['analytical-dense', 'analytical-sparse', 'simulated'];

/** The sample id under which the dense analytical result is stored; it covers no trace. */
export const NO_SAMPLE = '';
