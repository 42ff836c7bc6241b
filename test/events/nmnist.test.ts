/** Every N-MNIST sample decodes to the event count, times and ON/OFF split listed for it in stats.csv. */
import * as fs from 'fs';

import { readAllEvents } from '../../src/events/reader';
import { dataPath, describeWithData, HAVE_DATA } from './helpers';

interface StatsRow {
  file: string;
  events: number;
  firstUs: number;
  lastUs: number;
  on: number;
  off: number;
  bytes: number;
}

const STATS_HEADER = 'file,n_events,t_first_us,t_last_us,n_on,n_off,bytes';

function readStatsLines(): string[] {
  if (!HAVE_DATA) return [];
  return fs.readFileSync(dataPath('nmnist_bin/stats.csv'), 'utf8').trim().split(/\r?\n/);
}

function parseStats(lines: string[]): StatsRow[] {
  return lines.slice(1).map((line) => {
    const [file, events, firstUs, lastUs, on, off, bytes] = line.split(',');
    return { file, events: +events, firstUs: +firstUs, lastUs: +lastUs, on: +on, off: +off, bytes: +bytes };
  });
}

describeWithData('N-MNIST samples against stats.csv', () => {
  const lines = readStatsLines();
  const rows = parseStats(lines);

  test('stats.csv lists 1080 files', () => {
    expect(lines[0]).toBe(STATS_HEADER);
    expect(rows).toHaveLength(1080);
  });

  test('every file matches its row', () => {
    const mismatches: string[] = [];
    let total = 0;
    for (const row of rows) {
      const { stats, info } = readAllEvents(dataPath(`nmnist_bin/${row.file}`));
      total += stats.eventCount;
      const got = [info.format, info.fileBytes, stats.eventCount, stats.firstTimestampUs, stats.lastTimestampUs, stats.onCount, stats.offCount];
      const want = ['nmnist', row.bytes, row.events, row.firstUs, row.lastUs, row.on, row.off];
      if (JSON.stringify(got) !== JSON.stringify(want)) mismatches.push(`${row.file}: got ${got}, want ${want}`);
    }
    expect(mismatches).toEqual([]);
    expect(total).toBe(rows.reduce((sum, row) => sum + row.events, 0));
  });

  test('coordinates within 34x34', () => {
    for (const row of rows.slice(0, 50)) {
      const { stats } = readAllEvents(dataPath(`nmnist_bin/${row.file}`), { sensorSize: { width: 34, height: 34 } });
      expect(stats.maxX).toBeLessThan(34);
      expect(stats.maxY).toBeLessThan(34);
    }
  });
});
