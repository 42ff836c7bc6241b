/**
 * The `events info` and `events frames` commands, as functions that take parsed options, print
 * through `print` and return their results (src/cli/events.ts wires them into commander).
 */
import * as path from 'path';

import type { BinMethod, BinValue } from './binning';
import { writeFramesAsPng } from './framesPng';
import { binEventFile, type BinReport } from './preprocess';
import { openEventFile } from './reader';
import type { EventFileInfo, ReadOptions, ReadStats } from './types';

export type Printer = (line: string) => void;

const defaultPrinter: Printer = (line) => process.stdout.write(`${line}\n`);

export interface EventsInfoOptions {
  /** Print the result as JSON instead of text. */
  json?: boolean;
  readOptions?: ReadOptions;
  print?: Printer;
}

export interface EventsInfoResult {
  info: EventFileInfo;
  stats: ReadStats;
  durationUs: number;
  /** Events per second over the recording's duration; null when the duration is 0. */
  eventRatePerSecond: number | null;
}

/** Reads a whole event file (streaming) and prints its format, sensor size and event statistics. */
export function eventsInfoCommand(file: string, options: EventsInfoOptions = {}): EventsInfoResult {
  const print = options.print ?? defaultPrinter;
  const reader = openEventFile(file, options.readOptions);
  for (const _chunk of reader.chunks()) {
    // Reading fills reader.stats.
  }
  const stats = reader.stats;
  const durationUs = stats.eventCount > 0 ? stats.lastTimestampUs - stats.firstTimestampUs : 0;
  const result: EventsInfoResult = {
    info: reader.info,
    stats,
    durationUs,
    eventRatePerSecond: durationUs > 0 ? (stats.eventCount * 1e6) / durationUs : null,
  };
  if (options.json) {
    print(JSON.stringify(result, (_key, value) => (typeof value === 'number' && !Number.isFinite(value) ? null : value), 2));
  } else {
    for (const line of formatInfo(result)) print(line);
  }
  return result;
}

function formatCount(value: number): string {
  return value.toLocaleString('en-US');
}

function formatInfo(result: EventsInfoResult): string[] {
  const { info, stats } = result;
  const lines: string[] = [];
  const row = (label: string, value: string): void => {
    lines.push(`${label.padEnd(12)}${value}`);
  };
  row('file', info.path);
  row('format', `${info.formatName} (${info.format})`);
  row('size', `${formatCount(info.fileBytes)} bytes, header ${formatCount(info.headerBytes)} bytes`);
  const sources = { header: 'stated in the header', chip: 'implied by the chip name', option: 'given as an option' };
  const sensor = info.sensorSize
    ? `${info.sensorSize.width} x ${info.sensorSize.height} (${sources[info.sensorSize.source]})`
    : 'not stated by the file';
  row('sensor', sensor);
  if (info.chip !== undefined) row('chip', info.chip);
  row('events', formatCount(stats.eventCount));
  if (stats.eventCount > 0) {
    row(
      'duration',
      `${(result.durationUs / 1000).toFixed(3)} ms (t = ${formatCount(stats.firstTimestampUs)} to ${formatCount(stats.lastTimestampUs)} us)`,
    );
    if (result.eventRatePerSecond !== null) {
      row('event rate', `${formatCount(Math.round(result.eventRatePerSecond))} events/s`);
    }
    const onPercent = ((100 * stats.onCount) / stats.eventCount).toFixed(1);
    const offPercent = ((100 * stats.offCount) / stats.eventCount).toFixed(1);
    row('ON / OFF', `${formatCount(stats.onCount)} (${onPercent} %) / ${formatCount(stats.offCount)} (${offPercent} %)`);
    row('x, y range', `x ${stats.minX}-${stats.maxX}, y ${stats.minY}-${stats.maxY}`);
  }
  const skipped = Object.entries(stats.skipped);
  row('skipped', skipped.length > 0 ? skipped.map(([kind, count]) => `${kind} ${formatCount(count)}`).join(', ') : 'none');
  const counts = Object.entries(stats.counts);
  if (counts.length > 0) row('counts', counts.map(([kind, count]) => `${kind} ${formatCount(count)}`).join(', '));
  if (stats.truncated) row('truncated', `at byte ${stats.truncated.byteOffset}: ${stats.truncated.message}`);
  const header = Object.entries(info.header);
  if (header.length > 0) lines.push('header');
  for (const [key, value] of header) {
    lines.push(`  ${key}: ${value.length > 100 ? `${value.slice(0, 97)}...` : value}`);
  }
  return lines;
}

export interface EventsFramesOptions {
  timesteps: number;
  /** Output folder (default `out/<file name>-frames`). */
  outDir?: string;
  method?: BinMethod;
  value?: BinValue;
  /** Frame size; default the sensor size (from the file, else the events' largest x and y). */
  width?: number;
  height?: number;
  refractoryUs?: number;
  denoiseWindowUs?: number;
  scale?: number;
  readOptions?: ReadOptions;
  print?: Printer;
}

export interface EventsFramesResult {
  outDir: string;
  files: string[];
  shape: [number, number, number, number];
  report: BinReport;
}

/** Bins a file's events into frames and writes each frame as a PNG image. */
export function eventsFramesCommand(file: string, options: EventsFramesOptions): EventsFramesResult {
  const print = options.print ?? defaultPrinter;
  const probe = openEventFile(file, options.readOptions);
  probe.close();
  let width = options.width ?? probe.info.sensorSize?.width;
  let height = options.height ?? probe.info.sensorSize?.height;
  if (width === undefined || height === undefined) {
    const stats = eventsInfoCommand(file, { readOptions: options.readOptions, print: () => undefined }).stats;
    width ??= Math.max(1, stats.maxX + 1);
    height ??= Math.max(1, stats.maxY + 1);
  }
  const sensorWidth = probe.info.sensorSize?.width ?? width;
  const sensorHeight = probe.info.sensorSize?.height ?? height;

  const result = binEventFile(
    file,
    {
      timesteps: options.timesteps,
      inputWidth: width,
      inputHeight: height,
      sensorWidth,
      sensorHeight,
      method: options.method,
      value: options.value,
      refractoryUs: options.refractoryUs,
      denoiseWindowUs: options.denoiseWindowUs,
    },
    options.readOptions,
  );
  const outDir = options.outDir ?? path.join('out', `${path.basename(file)}-frames`);
  const files = writeFramesAsPng(result.frames, result.shape, outDir, { scale: options.scale });

  print(`wrote ${files.length} frames of ${width} x ${height} to ${outDir}`);
  for (const step of result.report.steps) {
    print(`  ${step.step.padEnd(20)} events in ${formatCount(step.eventsIn)}, kept ${formatCount(step.eventsKept)}`);
  }
  print(`  events per frame     ${result.report.eventsPerBin.map(formatCount).join(' ')}`);
  if (result.report.binWidthUs !== null) print(`  frame length         ${result.report.binWidthUs.toFixed(1)} us`);
  return { outDir, files, shape: result.shape, report: result.report };
}
