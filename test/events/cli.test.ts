/** The `events info` and `events frames` commands, called directly and through commander. */
import * as fs from 'fs';
import * as path from 'path';

import { Command, CommanderError } from 'commander';
import { PNG } from 'pngjs';

import { registerEventsCommands } from '../../src/cli/events';
import { eventsFramesCommand, eventsInfoCommand } from '../../src/events/cli';
import { dataPath, describeWithData, makeTempDir } from './helpers';

const tempDir = makeTempDir();

function capture(): { lines: string[]; print: (line: string) => void } {
  const lines: string[] = [];
  return { lines, print: (line) => lines.push(line) };
}

function programWithEvents(): { program: Command; stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const program = new Command('stemsim');
  program.exitOverride();
  program.configureOutput({ writeOut: (s) => stdout.push(s), writeErr: (s) => stderr.push(s) });
  registerEventsCommands(program);
  return { program, stdout, stderr };
}

describeWithData('events info', () => {
  test('text report of an EVT 3.0 file', () => {
    const out = capture();
    const result = eventsInfoCommand(dataPath('prophesee_raw_evt3/pedestrians_gen41_evt3.raw'), { print: out.print });
    const text = out.lines.join('\n');
    expect(text).toContain('Prophesee RAW EVT 3.0 (evt3)');
    expect(text).toContain('1280 x 720 (implied by the chip name)');
    expect(text).toContain('events      5,000');
    expect(text).toContain('2,894 (57.9 %) / 2,106 (42.1 %)');
    expect(text).toContain('45.210 ms');
    expect(result.durationUs).toBe(45_210);
    expect(result.eventRatePerSecond).toBeCloseTo((5_000 * 1e6) / 45_210, 6);
  });

  test('JSON report of an AEDAT 4.0 file', () => {
    const out = capture();
    eventsInfoCommand(dataPath('aedat4/davis346_aestream.aedat4'), { json: true, print: out.print });
    const parsed = JSON.parse(out.lines.join('\n'));
    expect(parsed.info.format).toBe('aedat4');
    expect(parsed.info.sensorSize).toEqual({ width: 346, height: 260, source: 'header' });
    expect(parsed.stats.eventCount).toBe(117_667);
    expect(parsed.stats.skipped).toEqual({ framePackets: 3, imuSamples: 130, triggers: 15 });
  });

  test('through commander with --format and --json', () => {
    const { program } = programWithEvents();
    const written: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    try {
      program.parse(['events', 'info', dataPath('nmnist_bin/train/1.bs2'), '--format', 'nmnist', '--json'], { from: 'user' });
    } finally {
      spy.mockRestore();
    }
    expect(JSON.parse(written.join('')).stats.eventCount).toBe(4_681);
  });

  test('unreadable file reported as a command error', () => {
    const { program, stderr } = programWithEvents();
    let caught: unknown;
    try {
      program.parse(['events', 'info', dataPath('aedat2/davis346red_header_only.aedat')], { from: 'user' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(CommanderError);
    expect((caught as CommanderError).exitCode).toBe(1);
    expect(stderr.join('')).toContain('byte offset 599');
  });

  test('invalid --format value rejected', () => {
    const { program, stderr } = programWithEvents();
    expect(() => program.parse(['events', 'info', 'x.raw', '--format', 'evt4'], { from: 'user' })).toThrow(CommanderError);
    expect(stderr.join('')).toContain('--format must be one of');
  });
});

describeWithData('events frames', () => {
  test('PNG per frame, enlarged small sensor', () => {
    const out = capture();
    const outDir = path.join(tempDir(), 'nmnist');
    const result = eventsFramesCommand(dataPath('nmnist_bin/train/1.bs2'), { timesteps: 3, outDir, print: out.print });
    expect(result.files.map((f) => path.basename(f))).toEqual(['frame_000.png', 'frame_001.png', 'frame_002.png']);
    expect(result.shape).toEqual([3, 2, 34, 34]);
    const png = PNG.sync.read(fs.readFileSync(result.files[0]));
    expect([png.width, png.height]).toEqual([34 * 8, 34 * 8]);
    let lit = 0;
    for (let i = 0; i < png.data.length; i += 4) if (png.data[i] + png.data[i + 1] + png.data[i + 2] > 0) lit++;
    expect(lit).toBeGreaterThan(0);
    expect(out.lines[0]).toContain('wrote 3 frames of 34 x 34');
  });

  test('through commander with --t, --method and --size', () => {
    const { program } = programWithEvents();
    const outDir = path.join(tempDir(), 'evt2');
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      program.parse(
        ['events', 'frames', dataPath('prophesee_raw_evt2/sparklers_gen3_evt2.raw'), '--t', '2', '--out', outDir, '--method', 'count', '--size', '160x120'],
        { from: 'user' },
      );
    } finally {
      spy.mockRestore();
    }
    const files = fs.readdirSync(outDir).sort();
    expect(files).toEqual(['frame_000.png', 'frame_001.png']);
    const png = PNG.sync.read(fs.readFileSync(path.join(outDir, files[1])));
    expect([png.width, png.height]).toEqual([320, 240]);
  });
});
