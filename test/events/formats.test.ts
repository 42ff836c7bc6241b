/**
 * Format variants that the sample recordings do not cover: AEDAT 4.0 with Zstandard or no
 * compression, AEDAT 2.0 DAVIS addresses, Event Stream ATIS, CSV with a header, plain NumPy
 * arrays and MATLAB files written here.
 */
import * as fs from 'fs';

import { readAllEvents } from '../../src/events/reader';
import { parseAedat4, recompressAedat4, zstdCliAvailable } from './aedat4Build';
import {
  countDifferences,
  dataPath,
  describeWithData,
  expectEventFileError,
  HAVE_DATA,
  makeTempDir,
  matFile,
  npyFile,
  readEvents,
  writeTemp,
} from './helpers';

const tempDir = makeTempDir();

describeWithData('AEDAT 4.0 compression variants', () => {
  const original = dataPath('aedat4/davis346_aestream.aedat4');
  const reference = HAVE_DATA ? readEvents(original) : null;

  function expectSameEvents(file: string): void {
    const { events, stats, info } = readAllEvents(file);
    expect(events.length).toBe(117_667);
    expect(countDifferences(events.timestampUs, reference!.timestampUs)).toBe(0);
    expect(countDifferences(events.x, reference!.x)).toBe(0);
    expect(countDifferences(events.polarity, reference!.polarity)).toBe(0);
    expect(stats.skipped).toEqual({ framePackets: 3, imuSamples: 130, triggers: 15 });
    expect(info.format).toBe('aedat4');
  }

  test('Zstandard packets (raw blocks)', () => {
    const file = writeTemp(tempDir(), 'zstd-raw.aedat4', recompressAedat4(fs.readFileSync(original), 'zstd-raw'));
    expectSameEvents(file);
    expect(readAllEvents(file).info.header['compression']).toBe('Zstd');
  });

  const cliTest = zstdCliAvailable() ? test : test.skip;
  cliTest('Zstandard packets (compressed by the zstd command)', () => {
    const file = writeTemp(tempDir(), 'zstd-cli.aedat4', recompressAedat4(fs.readFileSync(original), 'zstd-cli'));
    expect(fs.statSync(file).size).toBeLessThan(fs.statSync(original).size * 2);
    expectSameEvents(file);
  });

  test('uncompressed packets', () => {
    const file = writeTemp(tempDir(), 'none.aedat4', recompressAedat4(fs.readFileSync(original), 'none'));
    expectSameEvents(file);
    expect(readAllEvents(file).info.header['compression']).toBe('none');
  });

  test('frame packets skipped whatever their content', () => {
    const bytes = Buffer.from(fs.readFileSync(original));
    const layout = parseAedat4(bytes);
    const framePackets = layout.packets.filter((packet) => packet.streamId === 1);
    expect(framePackets).toHaveLength(3);
    for (const packet of framePackets) packet.payload.fill(0xa5);
    const file = writeTemp(tempDir(), 'garbled-frames.aedat4', bytes);
    expectSameEvents(file);
  });

  test('corrupt event packet rejected with its offset', () => {
    const bytes = Buffer.from(fs.readFileSync(original));
    const packet = parseAedat4(bytes).packets.find((p) => p.streamId === 0)!;
    packet.payload.fill(0x00, 4, 40);
    const file = writeTemp(tempDir(), 'corrupt-events.aedat4', bytes);
    const error = expectEventFileError(() => readAllEvents(file));
    expect(error.byteOffset).toBe(packet.offset);
  });

  test('event stream chosen by id', () => {
    const error = expectEventFileError(() => readAllEvents(original, { aedat4StreamId: 2 }));
    expect(error.message).toContain('no EVTS');
  });
});

describe('AEDAT 2.0 DAVIS addresses', () => {
  function davisFile(chip: string, records: Array<[number, number]>): string {
    const header = `#!AER-DAT2.0\r\n# AEChip: ${chip}\r\n#Start of Preferences for this AEChip\r\n#<x/>\r\n#End of Preferences for this AEChip\r\n`;
    const body = Buffer.alloc(records.length * 8);
    records.forEach(([address, t], i) => {
      body.writeUInt32BE(address >>> 0, 8 * i);
      body.writeUInt32BE(t >>> 0, 8 * i + 4);
    });
    return writeTemp(tempDir(), `davis${records.length}.aedat`, Buffer.concat([Buffer.from(header, 'latin1'), body]));
  }
  const dvs = (x: number, y: number, p: number) => (y << 22) | (x << 12) | (p << 11);

  test('DVS events decoded, APS, IMU and special words counted', () => {
    const file = davisFile('eu.seebetter.ini.chips.davis.Davis346B', [
      [dvs(345, 259, 1), 10],
      [0x80000000 | (5 << 12), 11],
      [(0x80000000 | 0xc00 | (3 << 28)) >>> 0, 12],
      [0x400, 13],
      [dvs(0, 0, 0), 14],
    ]);
    const { events, stats, info } = readAllEvents(file);
    expect(info.sensorSize).toEqual({ width: 346, height: 260, source: 'chip' });
    expect(Array.from(events.x)).toEqual([345, 0]);
    expect(Array.from(events.y)).toEqual([259, 0]);
    expect(Array.from(events.polarity)).toEqual([1, 0]);
    expect(Array.from(events.timestampUs)).toEqual([10, 14]);
    expect(stats.skipped).toEqual({ apsWords: 1, imuWords: 1, externalEvents: 1 });
  });

  test('DAVIS address beyond 346x260 rejected', () => {
    const file = davisFile('eu.seebetter.ini.chips.davis.Davis346B', [[dvs(10, 306, 1), 5]]);
    const error = expectEventFileError(() => readAllEvents(file));
    expect(error.message).toContain('y=306');
    expect(readAllEvents(file, { onInvalidEvent: 'skip' }).stats.skipped['invalidEvents']).toBe(1);
  });

  test('unknown chip needs a layout', () => {
    const file = davisFile('org.example.SomeChip', [[dvs(1, 1, 1), 5]]);
    const error = expectEventFileError(() => readAllEvents(file));
    expect(error.message).toContain('aedat2Layout');
    expect(readAllEvents(file, { aedat2Layout: 'davis' }).stats.eventCount).toBe(1);
  });

  test('32-bit timestamp wrap unfolded', () => {
    const file = davisFile('Davis240C', [
      [dvs(1, 1, 1), 2 ** 32 - 10],
      [dvs(1, 1, 1), 5],
    ]);
    expect(Array.from(readEvents(file).timestampUs)).toEqual([2 ** 32 - 10, 2 ** 32 + 5]);
  });
});

describe('Event Stream ATIS', () => {
  test('DVS events kept, threshold crossings and overflows counted', () => {
    const header = Buffer.alloc(20);
    header.write('Event Stream', 0, 'latin1');
    header.set([2, 0, 0, 2], 12);
    header.writeUInt16LE(304, 16);
    header.writeUInt16LE(240, 18);
    const event = (dt: number, polarity: number, isTc: number, x: number, y: number) => {
      const b = Buffer.alloc(5);
      b[0] = (dt << 2) | (polarity << 1) | isTc;
      b.writeUInt16LE(x, 1);
      b.writeUInt16LE(y, 3);
      return b;
    };
    const body = Buffer.concat([
      event(3, 1, 0, 10, 20),
      Buffer.from([0xfe]),
      event(1, 0, 1, 11, 21),
      Buffer.from([0xfc]),
      event(2, 0, 0, 303, 239),
    ]);
    const file = writeTemp(tempDir(), 'atis.es', Buffer.concat([header, body]));
    const { events, stats, info } = readAllEvents(file);
    expect(info.header['type']).toBe('atis');
    expect(Array.from(events.timestampUs)).toEqual([3, 3 + 126 + 1 + 2]);
    expect(Array.from(events.x)).toEqual([10, 303]);
    expect(Array.from(events.polarity)).toEqual([1, 0]);
    expect(stats.skipped['thresholdCrossings']).toBe(1);
    expect(stats.counts).toEqual({ overflowBytes: 1, resetBytes: 1 });
  });
});

describe('text and CSV', () => {
  test('CSV with a header naming columns and unit', () => {
    const file = writeTemp(tempDir(), 'events.csv', 'x,y,polarity,timestamp_us\n5,6,1,100\n7,8,0,250\n9,10,-1,250');
    const events = readEvents(file);
    expect(Array.from(events.timestampUs)).toEqual([100, 250, 250]);
    expect(Array.from(events.x)).toEqual([5, 7, 9]);
    expect(Array.from(events.polarity)).toEqual([1, 0, 0]);
  });

  test('integer timestamps read as microseconds', () => {
    const file = writeTemp(tempDir(), 'events_us.txt', '# comment\n1000 1 2 1\r\n2000 3 4 0\r\n');
    expect(Array.from(readEvents(file).timestampUs)).toEqual([1000, 2000]);
  });

  test('time unit and column order options', () => {
    const file = writeTemp(tempDir(), 'events_ms.txt', '1 2 1.5 1\n3 4 2.25 0\n');
    const events = readEvents(file, { format: 'text', textTimeUnit: 'ms', columns: ['x', 'y', 't', 'p'] });
    expect(Array.from(events.timestampUs)).toEqual([1500, 2250]);
    expect(Array.from(events.y)).toEqual([2, 4]);
  });

  test('nine-decimal seconds rounded to microseconds', () => {
    const file = writeTemp(tempDir(), 'ns.txt', '0.000001499 0 0 1\n0.000001500 0 0 1\n1e-3 0 0 1\n');
    expect(Array.from(readEvents(file).timestampUs)).toEqual([1, 2, 1000]);
  });
});

describe('NumPy', () => {
  test('plain 2-D int64 array', () => {
    const rows = [
      [10, 1, 2, 1],
      [20, 3, 4, 0],
    ];
    const dict = "{'descr': '<i8', 'fortran_order': False, 'shape': (2, 4), }";
    const header = Buffer.alloc(10);
    header[0] = 0x93;
    header.write('NUMPY', 1, 'latin1');
    header[6] = 1;
    const padded = dict + ' '.repeat(64 - ((10 + dict.length + 1) % 64)) + '\n';
    header.writeUInt16LE(padded.length, 8);
    const body = Buffer.alloc(64);
    rows.flat().forEach((value, i) => body.writeBigInt64LE(BigInt(value), 8 * i));
    const file = writeTemp(tempDir(), 'plain.npy', Buffer.concat([header, Buffer.from(padded, 'latin1'), body]));
    const events = readEvents(file);
    expect(Array.from(events.timestampUs)).toEqual([10, 20]);
    expect(Array.from(events.y)).toEqual([2, 4]);
  });

  test('structured array with other field names and types', () => {
    const bytes = npyFile([
      { name: 'timestamp', type: '<u8', values: [5, 2 ** 40] },
      { name: 'x', type: '<u2', values: [1, 2] },
      { name: 'y', type: '<u2', values: [3, 4] },
      { name: 'polarity', type: '|b1', values: [1, 0] },
    ]);
    const events = readEvents(writeTemp(tempDir(), 'struct.npy', bytes));
    expect(Array.from(events.timestampUs)).toEqual([5, 2 ** 40]);
    expect(Array.from(events.polarity)).toEqual([1, 0]);
  });
});

describe('MATLAB', () => {
  const fields = {
    x: { classId: 11 as const, values: [1, 304] },
    y: { classId: 11 as const, values: [1, 240] },
    ts: { classId: 13 as const, values: [7, 9] },
    p: { classId: 9 as const, values: [0, 1] },
  };

  test.each([false, true])('TD struct (compressed %s)', (compress) => {
    const file = writeTemp(tempDir(), `td-${compress}.mat`, matFile([{ name: 'TD', fields }], compress));
    const events = readEvents(file);
    expect(Array.from(events.x)).toEqual([0, 303]);
    expect(Array.from(events.y)).toEqual([0, 239]);
    expect(Array.from(events.timestampUs)).toEqual([7, 9]);
  });

  test('first struct used when there is no TD', () => {
    const file = writeTemp(tempDir(), 'events.mat', matFile([{ name: 'events', fields }], true));
    const { info, stats } = readAllEvents(file);
    expect(info.header['variable']).toBe('events');
    expect(stats.eventCount).toBe(2);
  });

  test('coordinate 0 in a 1-based file rejected', () => {
    const bad = { ...fields, x: { classId: 11 as const, values: [0, 5] } };
    const file = writeTemp(tempDir(), 'zero.mat', matFile([{ name: 'TD', fields: bad }], false));
    const error = expectEventFileError(() => readAllEvents(file));
    expect(error.message).toContain('1-based');
  });

  test('missing variable named in the error', () => {
    const file = writeTemp(tempDir(), 'td.mat', matFile([{ name: 'TD', fields }], false));
    const error = expectEventFileError(() => readAllEvents(file, { matVariable: 'XYZ' }));
    expect(error.message).toContain('no variable XYZ');
    expect(error.message).toContain('TD');
  });
});
