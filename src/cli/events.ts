/**
 * Commander wiring of the `events info` and `events frames` commands. The program's entry point
 * (src/cli/main.ts) calls registerEventsCommands.
 */
import { InvalidArgumentError, type Command } from 'commander';

import { eventsFramesCommand, eventsInfoCommand } from '../events/cli';
import { EventFileError } from '../events/errors';
import { EVENT_FORMATS, type EventFormat, type ReadOptions } from '../events/types';

interface ReadFlags {
  format?: EventFormat;
  onInvalid?: 'error' | 'skip';
  onBackwards?: 'error' | 'skip' | 'keep';
  onTruncated?: 'error' | 'stop';
  aedat2Layout?: 'dvs128' | 'davis';
  timeUnit?: 's' | 'ms' | 'us' | 'ns';
  matVariable?: string;
  sensorSize?: { width: number; height: number };
}

function choice<T extends string>(name: string, allowed: readonly T[]): (value: string) => T {
  return (value) => {
    if (!(allowed as readonly string[]).includes(value)) {
      throw new InvalidArgumentError(`${name} must be one of ${allowed.join(', ')}, got '${value}'.`);
    }
    return value as T;
  };
}

function positiveInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new InvalidArgumentError(`expected a positive integer, got '${value}'.`);
  return parsed;
}

function nonNegativeNumber(value: string): number {
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < 0) throw new InvalidArgumentError(`expected a number >= 0, got '${value}'.`);
  return parsed;
}

function sizeValue(value: string): { width: number; height: number } {
  const match = /^(\d+)x(\d+)$/.exec(value);
  if (!match || Number(match[1]) < 1 || Number(match[2]) < 1) {
    throw new InvalidArgumentError(`expected WIDTHxHEIGHT such as 346x260, got '${value}'.`);
  }
  return { width: Number(match[1]), height: Number(match[2]) };
}

/** Adds the options shared by both commands that control how the file is read. */
function addReadOptions(command: Command): Command {
  return command
    .option('--format <format>', `container format, overriding detection (${EVENT_FORMATS.join(', ')})`, choice('--format', EVENT_FORMATS))
    .option('--sensor-size <WxH>', 'sensor size in pixels to check coordinates against, overriding the header', sizeValue)
    .option('--on-invalid <policy>', 'events outside the sensor or with invalid fields: error or skip (default error)', choice('--on-invalid', ['error', 'skip'] as const))
    .option('--on-backwards <policy>', 'events earlier than the previous one: error, skip or keep (default error)', choice('--on-backwards', ['error', 'skip', 'keep'] as const))
    .option('--on-truncated <policy>', 'a file that ends inside a record: error or stop (default error)', choice('--on-truncated', ['error', 'stop'] as const))
    .option('--aedat2-layout <layout>', 'AEDAT 2.0 address layout: dvs128 or davis (default from the AEChip line)', choice('--aedat2-layout', ['dvs128', 'davis'] as const))
    .option('--time-unit <unit>', 'unit of text/CSV timestamps: s, ms, us or ns (default s when they have a decimal point, else us)', choice('--time-unit', ['s', 'ms', 'us', 'ns'] as const))
    .option('--mat-variable <name>', 'MATLAB variable holding the event struct (default TD)');
}

function readOptionsFrom(flags: ReadFlags): ReadOptions {
  return {
    format: flags.format,
    sensorSize: flags.sensorSize,
    onInvalidEvent: flags.onInvalid,
    onTimeBackwards: flags.onBackwards,
    onTruncated: flags.onTruncated,
    aedat2Layout: flags.aedat2Layout,
    textTimeUnit: flags.timeUnit,
    matVariable: flags.matVariable,
  };
}

/** Reports an unreadable event file as a command error (exit code 1) instead of a stack trace. */
function runReporting(command: Command, run: () => void): void {
  try {
    run();
  } catch (error) {
    if (error instanceof EventFileError) command.error(`error: ${error.message}`, { exitCode: 1, code: 'stemsim.eventFile' });
    throw error;
  }
}

/** Adds `events info` and `events frames` to the program. */
export function registerEventsCommands(program: Command): void {
  const events = program.command('events').description('read event-camera recordings (N-MNIST, AEDAT, Prophesee DAT/RAW, Event Stream, text, npy, mat)');

  addReadOptions(
    events
      .command('info')
      .description('print the format, sensor size, event count, duration, event rate, ON/OFF split and skipped words of a recording')
      .argument('<file>', 'event recording')
      .option('--json', 'print the result as JSON'),
  ).action(function (this: Command, file: string, flags: ReadFlags & { json?: boolean }) {
    runReporting(this, () => {
      eventsInfoCommand(file, { json: flags.json, readOptions: readOptionsFrom(flags) });
    });
  });

  addReadOptions(
    events
      .command('frames')
      .description('bin the events of a recording into frames and write them as PNG images (ON orange, OFF blue)')
      .argument('<file>', 'event recording')
      .requiredOption('--t <n>', 'number of frames', positiveInteger)
      .option('--out <dir>', 'output folder (default out/<file name>-frames)')
      .option('--method <method>', 'time: equal time windows; count: equal event counts (default time)', choice('--method', ['time', 'count'] as const))
      .option('--value <value>', 'count: events per pixel; binary: 1 per active pixel (default count)', choice('--value', ['count', 'binary'] as const))
      .option('--size <WxH>', 'frame size in pixels, pooled from the sensor (default the sensor size)', sizeValue)
      .option('--refractory-us <us>', 'refractory filter period in microseconds (default off)', nonNegativeNumber)
      .option('--denoise-us <us>', 'background-activity filter window in microseconds (default off)', nonNegativeNumber)
      .option('--scale <n>', 'enlarge each frame image by this whole factor (default: to at least 256 px)', positiveInteger),
  ).action(function (
    this: Command,
    file: string,
    flags: ReadFlags & {
      t: number;
      out?: string;
      method?: 'time' | 'count';
      value?: 'count' | 'binary';
      size?: { width: number; height: number };
      refractoryUs?: number;
      denoiseUs?: number;
      scale?: number;
    },
  ) {
    runReporting(this, () => {
      eventsFramesCommand(file, {
        timesteps: flags.t,
        outDir: flags.out,
        method: flags.method,
        value: flags.value,
        width: flags.size?.width,
        height: flags.size?.height,
        refractoryUs: flags.refractoryUs,
        denoiseWindowUs: flags.denoiseUs,
        scale: flags.scale,
        readOptions: readOptionsFrom(flags),
      });
    });
  });
}
