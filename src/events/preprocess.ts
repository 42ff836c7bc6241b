/**
 * Conversion of events into network input frames: optional refractory and background-activity
 * filters, pooling or cropping to the input size, then binning into T frames of 2 polarity
 * channels ([T][2][H][W], channel 0 OFF, channel 1 ON).
 */
import { FrameBinner, type BinMethod, type BinValue } from './binning';
import { BackgroundActivityFilter, RefractoryFilter, type ChunkFilter } from './filters';
import { openEventFile } from './reader';
import { SpatialMapper, type SpatialMode } from './spatial';
import type { EventArrays, EventChunk, ReadOptions } from './types';

export interface BinEventsOptions {
  timesteps: number;
  inputHeight: number;
  inputWidth: number;
  /** Default 'time'. */
  method?: BinMethod;
  /** Default 'count'. */
  value?: BinValue;
  /** Default 'pool'. */
  spatial?: SpatialMode;
  cropX?: number;
  cropY?: number;
  /** Sensor size of the event coordinates; default the largest x and y of the events plus one. */
  sensorWidth?: number;
  sensorHeight?: number;
  /** Time method: window length in microseconds (default: the event span divided by timesteps). */
  binWidthUs?: number;
  /** Time method: start of the first window (default: the first event's time). */
  startUs?: number;
  /** Refractory period in microseconds; the filter is off when omitted or 0. */
  refractoryUs?: number;
  /** Background-activity filter window in microseconds; the filter is off when omitted. */
  denoiseWindowUs?: number;
}

export interface StepReport {
  step: string;
  eventsIn: number;
  eventsKept: number;
}

export interface BinReport {
  eventsIn: number;
  eventsKept: number;
  eventsPerBin: number[];
  /** One entry per step in the order applied: filters, then 'pool' or 'crop', then 'bin'. */
  steps: StepReport[];
  sensorWidth: number;
  sensorHeight: number;
  method: BinMethod;
  value: BinValue;
  /** Time method: window start and length in microseconds; null for the count method. */
  startUs: number | null;
  binWidthUs: number | null;
}

export interface BinResult {
  frames: Float32Array;
  shape: [number, number, number, number];
  report: BinReport;
}

function buildFilters(options: BinEventsOptions, sensorWidth: number, sensorHeight: number): ChunkFilter[] {
  const filters: ChunkFilter[] = [];
  if (options.refractoryUs !== undefined && options.refractoryUs > 0) {
    filters.push(new RefractoryFilter(sensorWidth, sensorHeight, options.refractoryUs));
  }
  if (options.denoiseWindowUs !== undefined) {
    filters.push(new BackgroundActivityFilter(sensorWidth, sensorHeight, options.denoiseWindowUs));
  }
  filters.push(
    new SpatialMapper({
      sensorWidth,
      sensorHeight,
      outputWidth: options.inputWidth,
      outputHeight: options.inputHeight,
      mode: options.spatial ?? 'pool',
      cropX: options.cropX,
      cropY: options.cropY,
    }),
  );
  return filters;
}

function runFilters(filters: ChunkFilter[], chunk: EventChunk): EventChunk {
  let current = chunk;
  for (const filter of filters) current = filter.apply(current);
  return current;
}

function maxPlusOne(values: Uint16Array): number {
  let max = -1;
  for (let i = 0; i < values.length; i++) if (values[i] > max) max = values[i];
  return Math.max(1, max + 1);
}

function makeReport(
  filters: ChunkFilter[],
  binner: FrameBinner,
  eventsIn: number,
  options: BinEventsOptions,
  sensorWidth: number,
  sensorHeight: number,
  startUs: number | null,
): BinReport {
  const steps: StepReport[] = filters.map((filter) => ({ step: filter.name, ...filter.counts }));
  const binned = binner.eventsPerBin.reduce((sum, count) => sum + count, 0);
  steps.push({ step: 'bin', eventsIn: binner.eventsIn, eventsKept: binned });
  return {
    eventsIn,
    eventsKept: binned,
    eventsPerBin: [...binner.eventsPerBin],
    steps,
    sensorWidth,
    sensorHeight,
    method: options.method ?? 'time',
    value: options.value ?? 'count',
    startUs,
    binWidthUs: binner.binWidthUs,
  };
}

/**
 * Bins in-memory events (in time order) into frames for a network with input
 * [timesteps][2][inputHeight][inputWidth].
 */
export function binEvents(events: EventArrays, options: BinEventsOptions): BinResult {
  const sensorWidth = options.sensorWidth ?? maxPlusOne(events.x);
  const sensorHeight = options.sensorHeight ?? maxPlusOne(events.y);
  const filters = buildFilters(options, sensorWidth, sensorHeight);
  const kept = runFilters(filters, events);
  const method = options.method ?? 'time';
  const startUs = options.startUs ?? (kept.length > 0 ? kept.timestampUs[0] : 0);
  const binner = new FrameBinner({
    timesteps: options.timesteps,
    height: options.inputHeight,
    width: options.inputWidth,
    method,
    value: options.value ?? 'count',
    startUs,
    binWidthUs: options.binWidthUs,
    endUs: kept.length > 0 ? kept.timestampUs[kept.length - 1] : startUs,
    totalEvents: kept.length,
  });
  binner.add(kept);
  return {
    frames: binner.frames,
    shape: [options.timesteps, 2, options.inputHeight, options.inputWidth],
    report: makeReport(filters, binner, events.length, options, sensorWidth, sensorHeight, method === 'time' ? startUs : null),
  };
}

/**
 * Bins the events of a file into frames. Memory is bounded by the frames and the filters'
 * per-pixel state, not by the file, because the file is streamed twice. The first pass finds
 * the span and count of the events that pass the filters, and the second pass bins them.
 */
export function binEventFile(filePath: string, options: BinEventsOptions, readOptions: ReadOptions = {}): BinResult {
  const first = openEventFile(filePath, readOptions);
  let sensorWidth = options.sensorWidth ?? first.info.sensorSize?.width;
  let sensorHeight = options.sensorHeight ?? first.info.sensorSize?.height;
  if (sensorWidth === undefined || sensorHeight === undefined) {
    for (const _chunk of first.chunks()) {
      // This pass only fills the reader's statistics (largest x and y).
    }
    sensorWidth ??= Math.max(1, first.stats.maxX + 1);
    sensorHeight ??= Math.max(1, first.stats.maxY + 1);
  } else {
    first.close();
  }

  const counting = buildFilters(options, sensorWidth, sensorHeight);
  let firstUs = NaN;
  let lastUs = NaN;
  let total = 0;
  for (const chunk of openEventFile(filePath, readOptions).chunks()) {
    const kept = runFilters(counting, chunk);
    if (kept.length === 0) continue;
    if (total === 0) firstUs = kept.timestampUs[0];
    lastUs = kept.timestampUs[kept.length - 1];
    total += kept.length;
  }

  const method = options.method ?? 'time';
  const startUs = options.startUs ?? (total > 0 ? firstUs : 0);
  const binner = new FrameBinner({
    timesteps: options.timesteps,
    height: options.inputHeight,
    width: options.inputWidth,
    method,
    value: options.value ?? 'count',
    startUs,
    binWidthUs: options.binWidthUs,
    endUs: total > 0 ? lastUs : startUs,
    totalEvents: total,
  });
  const filters = buildFilters(options, sensorWidth, sensorHeight);
  const reader = openEventFile(filePath, readOptions);
  let eventsIn = 0;
  for (const chunk of reader.chunks()) {
    eventsIn += chunk.length;
    binner.add(runFilters(filters, chunk));
  }
  return {
    frames: binner.frames,
    shape: [options.timesteps, 2, options.inputHeight, options.inputWidth],
    report: makeReport(filters, binner, eventsIn, options, sensorWidth, sensorHeight, method === 'time' ? startUs : null),
  };
}
