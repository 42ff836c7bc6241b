/**
 * Streaming: reading with tiny blocks (records cut across block boundaries) and small chunks
 * gives the same events as one whole read, and chunks never exceed the requested size.
 */
import { concatChunks, openEventFile, readAllEvents, readEventChunks } from '../../src/events/reader';
import type { EventArrays, EventChunk } from '../../src/events/types';
import { countDifferences, dataPath, describeWithData } from './helpers';

const FILES = [
  'nmnist_bin/test/60001.bs2',
  'aedat2/dvs128_walking.aedat',
  'aedat4/davis346_aestream.aedat4',
  'prophesee_dat/ncars_obj_004397_td.dat',
  'prophesee_dat/ncars_obj_004397_td.npy',
  'prophesee_raw_evt2/sparklers_gen3_evt2.raw',
  'prophesee_raw_evt3/pedestrians_gen41_evt3.raw',
  'eventstream_es/ncars_obj_004397_dvs.es',
  'ecd_txt/slider_depth_events_first50k.txt',
  'matlab_mat/atis_example_td_em.mat',
];

describeWithData('streaming reads', () => {
  describe.each(FILES)('%s', (relative) => {
    const file = dataPath(relative);
    let whole: EventArrays;
    beforeAll(() => {
      whole = readAllEvents(file).events;
    });

    test.each([
      [97, 1_000],
      [4_099, 333],
      [1 << 16, 65_536],
    ])('blocks of %d bytes, chunks of %d events', (blockBytes, chunkSize) => {
      const chunks: EventChunk[] = [];
      for (const chunk of openEventFile(file, { blockBytes, chunkSize }).chunks()) {
        expect(chunk.length).toBeLessThanOrEqual(chunkSize);
        expect(chunk.length).toBeGreaterThan(0);
        chunks.push(chunk);
      }
      const streamed = concatChunks(chunks);
      expect(streamed.length).toBe(whole.length);
      expect(countDifferences(streamed.timestampUs, whole.timestampUs)).toBe(0);
      expect(countDifferences(streamed.x, whole.x)).toBe(0);
      expect(countDifferences(streamed.y, whole.y)).toBe(0);
      expect(countDifferences(streamed.polarity, whole.polarity)).toBe(0);
    });
  });

  test('readEventChunks returns info and stats', () => {
    const generator = readEventChunks(dataPath('prophesee_raw_evt3/pedestrians_gen41_evt3.raw'), { chunkSize: 1_000 });
    let chunks = 0;
    let result = generator.next();
    while (!result.done) {
      chunks++;
      result = generator.next();
    }
    expect(chunks).toBe(5);
    expect(result.value.info.format).toBe('evt3');
    expect(result.value.stats.eventCount).toBe(5_000);
  });

  test('reader closed early', () => {
    const reader = openEventFile(dataPath('prophesee_raw_evt2/sparklers_gen3_evt2.raw'), { chunkSize: 10_000 });
    for (const chunk of reader.chunks()) {
      expect(chunk.length).toBe(10_000);
      break;
    }
    expect(reader.stats.eventCount).toBe(10_000);
    expect(() => reader.close()).not.toThrow();
  });

  test('chunks can be iterated once', () => {
    const reader = openEventFile(dataPath('nmnist_bin/train/1.bs2'));
    [...reader.chunks()];
    expect(() => [...reader.chunks()]).toThrow('already read');
  });
});
