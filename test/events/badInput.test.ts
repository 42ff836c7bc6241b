/**
 * Damaged copies of the sample recordings: truncation, wrong magic, coordinates outside the
 * sensor and timestamps going backwards. Each gives an EventFileError naming the file and byte
 * offset, or a counted skip when the caller asks for one.
 */
import * as fs from 'fs';

import { openEventFile, readAllEvents } from '../../src/events/reader';
import { dataPath, describeWithData, expectEventFileError, makeTempDir, writeTemp } from './helpers';

const tempDir = makeTempDir();

function mutated(relative: string, name: string, change: (bytes: Buffer) => Buffer | void): string {
  const bytes = Buffer.from(fs.readFileSync(dataPath(relative)));
  const result = change(bytes) ?? bytes;
  return writeTemp(tempDir(), name, result);
}

describeWithData('damaged N-MNIST files', () => {
  const source = 'nmnist_bin/train/1.bs2';

  test('size not a multiple of 5', () => {
    const file = mutated(source, 'cut.bs2', (b) => b.subarray(0, b.length - 2));
    const error = expectEventFileError(() => readAllEvents(file));
    expect(error.file).toBe(file);
    expect(error.byteOffset).toBe(23_400);
    expect(error.message).toContain('3 of its 5 bytes');
    expect(error.message).toContain('--on-truncated stop');
  });

  test('truncation stop keeps the complete events', () => {
    const file = mutated(source, 'cut2.bs2', (b) => b.subarray(0, b.length - 2));
    const { stats } = readAllEvents(file, { onTruncated: 'stop' });
    expect(stats.eventCount).toBe(4_680);
    expect(stats.truncated?.byteOffset).toBe(23_400);
  });

  test('coordinate outside the given sensor', () => {
    const file = mutated(source, 'x200.bs2', (b) => {
      b[5 * 7] = 200;
    });
    const error = expectEventFileError(() => readAllEvents(file, { sensorSize: { width: 34, height: 34 } }));
    expect(error.byteOffset).toBe(35);
    expect(error.message).toContain('x=200');
    const skipped = readAllEvents(file, { sensorSize: { width: 34, height: 34 }, onInvalidEvent: 'skip' });
    expect(skipped.stats.eventCount).toBe(4_680);
    expect(skipped.stats.skipped['invalidEvents']).toBe(1);
  });

  test('timestamp going backwards', () => {
    const file = mutated(source, 'back.bs2', (b) => {
      b[5 * 10 + 2] &= 0x80;
      b[5 * 10 + 3] = 0;
      b[5 * 10 + 4] = 0;
    });
    const error = expectEventFileError(() => readAllEvents(file));
    expect(error.byteOffset).toBe(50);
    expect(error.message).toContain('timestamp 0 us is earlier');
    expect(readAllEvents(file, { onTimeBackwards: 'skip' }).stats.eventCount).toBe(4_680);
    expect(readAllEvents(file, { onTimeBackwards: 'keep' }).stats.eventCount).toBe(4_681);
  });

  test('no extension and truncated: format not recognised', () => {
    const file = mutated(source, 'cut-noext', (b) => b.subarray(0, b.length - 1));
    const error = expectEventFileError(() => openEventFile(file));
    expect(error.message).toContain('--format');
    expect(readAllEvents(file, { format: 'nmnist', onTruncated: 'stop' }).stats.eventCount).toBe(4_680);
  });
});

describeWithData('damaged AEDAT 2.0 files', () => {
  const source = 'aedat2/dvs128_walking.aedat';

  test('ends inside its header', () => {
    const file = mutated(source, 'hdr.aedat', (b) => b.subarray(0, 2_000));
    const error = expectEventFileError(() => readAllEvents(file));
    expect(error.message).toContain('ends inside');
    expect(error.byteOffset).toBeLessThanOrEqual(2_000);
  });

  test('ends inside a record', () => {
    const file = mutated(source, 'rec.aedat', (b) => b.subarray(0, 4_612 + 8 * 100 + 3));
    const error = expectEventFileError(() => readAllEvents(file));
    expect(error.byteOffset).toBe(4_612 + 800);
    expect(error.message).toContain('3 of its 8 bytes');
  });

  test('wrong magic line', () => {
    const file = mutated(source, 'magic.aedat', (b) => {
      b.write('#!AER-DAT9.9', 0, 'latin1');
    });
    expect(expectEventFileError(() => openEventFile(file)).message).toContain('AEDAT version 9.9 is not supported');
    expect(expectEventFileError(() => openEventFile(dataPath('prophesee_dat/ncars_obj_004397_td.dat'), { format: 'aedat2' })).message).toContain(
      'magic line',
    );
  });

  test('timestamp going backwards', () => {
    const file = mutated(source, 'back.aedat', (b) => {
      b.writeUInt32BE(1_000, 4_612 + 8 * 5 + 4);
    });
    const error = expectEventFileError(() => readAllEvents(file));
    expect(error.byteOffset).toBe(4_612 + 40);
  });

  test('coordinates outside a smaller given sensor', () => {
    const error = expectEventFileError(() => readAllEvents(dataPath(source), { sensorSize: { width: 64, height: 64 } }));
    expect(error.message).toContain('outside the 64x64 sensor');
  });
});

describeWithData('damaged AEDAT 4.0 files', () => {
  const source = 'aedat4/davis346_aestream.aedat4';

  test('ends inside a packet', () => {
    const file = mutated(source, 'cut.aedat4', (b) => b.subarray(0, 600_000));
    const error = expectEventFileError(() => readAllEvents(file));
    expect(error.message).toContain('ends inside a');
    expect(error.byteOffset).toBeLessThan(600_000);
  });

  test('truncation stop keeps earlier packets', () => {
    const file = mutated(source, 'cut2.aedat4', (b) => b.subarray(0, 600_000));
    const { stats } = readAllEvents(file, { onTruncated: 'stop' });
    expect(stats.eventCount).toBeGreaterThan(0);
    expect(stats.eventCount).toBeLessThan(117_667);
  });

  test('ends inside its header', () => {
    const file = mutated(source, 'hdr.aedat4', (b) => b.subarray(0, 500));
    expect(expectEventFileError(() => openEventFile(file)).message).toContain('ends inside the');
  });

  test('wrong magic', () => {
    const file = mutated(source, 'magic.aedat4', (b) => {
      b.write('#!AER-DAT4.5', 0, 'latin1');
    });
    expect(expectEventFileError(() => openEventFile(file)).byteOffset).toBe(0);
  });

  test('unknown stream id in a packet', () => {
    const file = mutated(source, 'stream.aedat4', (b) => {
      const headerSize = b.readInt32LE(14);
      b.writeInt32LE(77, 18 + headerSize);
    });
    const error = expectEventFileError(() => readAllEvents(file));
    expect(error.message).toContain('stream id 77');
  });
});

describeWithData('damaged Prophesee files', () => {
  test('DAT ends inside an event', () => {
    const file = mutated('prophesee_dat/ncars_obj_004397_td.dat', 'cut.dat', (b) => b.subarray(0, b.length - 5));
    const error = expectEventFileError(() => readAllEvents(file));
    expect(error.message).toContain('3 of its 8 bytes');
  });

  test('DAT polarity field invalid', () => {
    const file = mutated('prophesee_dat/ncars_obj_004397_td.dat', 'pol.dat', (b) => {
      b[0x5d + 8 * 3 + 7] = 0x50;
    });
    const error = expectEventFileError(() => readAllEvents(file));
    expect(error.byteOffset).toBe(0x5d + 24);
    expect(error.message).toContain('polarity field is 5');
  });

  test('DAT event type not CD', () => {
    const file = mutated('prophesee_dat/ncars_obj_004397_td.dat', 'type.dat', (b) => {
      b[0x5b] = 3;
    });
    expect(expectEventFileError(() => openEventFile(file)).message).toContain('event type 3');
  });

  test('EVT 3.0 cut at an odd byte', () => {
    const file = mutated('prophesee_raw_evt3/pedestrians_gen41_evt3.raw', 'odd.raw', (b) => b.subarray(0, b.length - 1));
    expect(expectEventFileError(() => readAllEvents(file)).byteOffset).toBe(36_918);
  });

  test('EVT 2.0 declared as EVT 3.0 in the header', () => {
    const file = mutated('prophesee_raw_evt2/sparklers_gen3_evt2.raw', 'evt.raw', (b) => {
      const at = b.indexOf('% evt 2.0');
      b.write('% evt 3.0', at, 'latin1');
    });
    const { info } = readAllEvents(file, { onInvalidEvent: 'skip', onTimeBackwards: 'skip' });
    expect(info.format).toBe('evt3');
    expect(expectEventFileError(() => openEventFile(file, { format: 'evt2' })).message).toContain('expected EVT2');
  });
});

describeWithData('damaged Event Stream, text, NumPy and MATLAB files', () => {
  test('Event Stream ends inside an event', () => {
    const file = mutated('eventstream_es/ncars_obj_004397_dvs.es', 'cut.es', (b) => b.subarray(0, b.length - 2));
    expect(expectEventFileError(() => readAllEvents(file)).message).toContain('3 of its 5 bytes');
  });

  test('Event Stream version 1 rejected', () => {
    const file = mutated('eventstream_es/ncars_obj_004397_dvs.es', 'v1.es', (b) => {
      b[12] = 1;
    });
    expect(expectEventFileError(() => openEventFile(file)).byteOffset).toBe(12);
  });

  test('Event Stream colour type rejected', () => {
    const file = mutated('eventstream_es/ncars_obj_004397_dvs.es', 'color.es', (b) => {
      b[15] = 4;
    });
    expect(expectEventFileError(() => openEventFile(file)).message).toContain('color');
  });

  test('text line with missing fields', () => {
    const file = mutated('ecd_txt/slider_depth_events_first50k.txt', 'bad.txt', (b) => {
      const text = b.toString('latin1').split('\n');
      text[100] = '0.0045 12';
      return Buffer.from(text.join('\n'), 'latin1');
    });
    const error = expectEventFileError(() => readAllEvents(file));
    expect(error.message).toContain('line 101 has 2 fields');
    expect(readAllEvents(file, { onInvalidEvent: 'skip' }).stats.eventCount).toBe(49_999);
  });

  test('text file cut inside its last line', () => {
    const file = mutated('ecd_txt/slider_depth_events_first50k.txt', 'cut.txt', (b) => b.subarray(0, b.length - 6));
    const error = expectEventFileError(() => readAllEvents(file));
    expect(error.message).toContain('ends inside a line');
  });

  test('text timestamps going backwards', () => {
    const file = writeTemp(tempDir(), 'back.txt', '0.5 1 1 1\n0.4 1 1 0\n');
    const error = expectEventFileError(() => readAllEvents(file));
    expect(error.byteOffset).toBe(10);
  });

  test('NumPy data shorter than its header says', () => {
    const file = mutated('prophesee_dat/ncars_obj_004397_td.npy', 'cut.npy', (b) => b.subarray(0, b.length - 20));
    expect(expectEventFileError(() => readAllEvents(file)).message).toContain('of the 4407 records');
  });

  test('NumPy header dict damaged', () => {
    const file = mutated('prophesee_dat/ncars_obj_004397_td.npy', 'dict.npy', (b) => {
      b.write('#', 20, 'latin1');
    });
    expect(expectEventFileError(() => openEventFile(file)).message).toContain('NumPy header dict is not valid');
  });

  test('MATLAB file cut inside a variable', () => {
    const file = mutated('matlab_mat/atis_example_td_em.mat', 'cut.mat', (b) => b.subarray(0, 1_000_000));
    expect(expectEventFileError(() => readAllEvents(file)).message).toContain('ends inside');
  });

  test('MATLAB compressed data damaged', () => {
    const file = mutated('matlab_mat/atis_example_td_em.mat', 'zlib.mat', (b) => {
      b.fill(0x33, 1_800_000, 1_800_100);
    });
    const error = expectEventFileError(() => readAllEvents(file));
    expect(error.message).toContain('cannot inflate');
  });

  test('empty file not recognised', () => {
    const file = writeTemp(tempDir(), 'empty.dat', Buffer.alloc(0));
    expect(expectEventFileError(() => openEventFile(file)).message).toContain('not recognised');
  });

  test('missing file named in the error', () => {
    const error = expectEventFileError(() => openEventFile(`${tempDir()}/does-not-exist.raw`));
    expect(error.message).toContain('ENOENT');
  });
});
