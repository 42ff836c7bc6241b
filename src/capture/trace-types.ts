/**
 * The decoded form of proto/trace.proto, with protobufjs's camelCase field names. Every field is
 * present after decoding (proto3 defaults filled in) except the optional `label` and `predictedClass`.
 */

/** Version of the layout in proto/trace.proto that this code reads and writes. */
export const TRACE_FORMAT_VERSION = 1;

export interface InputInfo {
  channels: number;
  height: number;
  width: number;
  bits: number;
}

export interface LayerInfo {
  name: string;
  type: string;
  neuronModel: string;
  channels: number;
  height: number;
  width: number;
  threshold: number;
  decay: number;
  stateful: boolean;
  tileRows: number;
  tileColumns: number;
  inputs: string[];
}

export interface TraceHeader {
  formatVersion: number;
  generator: string;
  networkName: string;
  networkSpecSha256: string;
  weightsSha256: string;
  weightsOrigin: string;
  weightsSeed: number;
  backend: string;
  timesteps: number;
  binWidthUs: number;
  tileHeight: number;
  tileWidth: number;
  hasBitmaps: boolean;
  input: InputInfo;
  layers: LayerInfo[];
}

export interface InputStep {
  timestep: number;
  eventCount: number;
  nonzeroCount: number;
  /** Empty when the trace has no bitmaps. */
  bitmap: Uint8Array;
}

export interface StateStats {
  changedCount: number;
  changedFraction: number;
  min: number;
  max: number;
}

export interface LayerStep {
  timestep: number;
  layerIndex: number;
  spikeCount: number;
  firingRate: number;
  outputSum: number;
  /** Empty when the trace has no bitmaps. */
  spikeBitmap: Uint8Array;
  channelCounts: number[];
  tileCounts: number[];
  /** null for layers without spiking neurons. */
  state: StateStats | null;
}

export interface TraceSample {
  sampleId: string;
  sourceFile: string;
  sourceSha256: string;
  label?: number;
  predictedClass?: number;
  classSpikeCounts: number[];
  startUs: number;
  eventsInFile: number;
  input: InputStep[];
  /** T * layers entries, timestep-major: records[t * layers + layerIndex]. */
  records: LayerStep[];
}

export interface TraceFile {
  header: TraceHeader;
  samples: TraceSample[];
}
