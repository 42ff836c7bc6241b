/**
 * AEDAT 4.0 (iniVation DV). The file starts with the line `#!AER-DAT4.0\r\n`, an int32 header
 * size and a FlatBuffers IOHeader table (compression code, data-table position, XML stream
 * description). Packets follow, each an int32 stream id, an int32 payload size and the payload
 * compressed with the file's method.
 *
 * A decompressed payload is a size-prefixed FlatBuffer whose identifier is the stream type.
 * Events come from `EVTS` packets: field 0 of the root table is a vector of 16-byte structs
 * (int64 t in microseconds, int16 x, int16 y, bool polarity, 3 padding bytes). Frame packets are
 * counted without being decompressed, so any pixel format passes; IMU and trigger packets are
 * decompressed only to count their elements.
 */
import { EventFileError } from '../errors';
import type { EventSink } from '../eventSink';
import type { FileSource } from '../fileSource';
import type { EventChunk } from '../types';
import { DecompressionError, decompressPacket } from './decompress';
import { FlatBufferError, FlatTableReader } from './flatTable';
import type { FormatOpener } from './format';

const MAGIC = '#!AER-DAT4.0\r\n';
const PACKET_HEADER_BYTES = 8;
const EVENT_STRUCT_BYTES = 16;
const COMPRESSION_NAMES = ['none', 'LZ4', 'LZ4 high', 'Zstd', 'Zstd high'];
const DEFAULT_MAX_DECOMPRESSED_BYTES = 1 << 30;
/** Largest IOHeader accepted; real headers are a few kilobytes of XML. */
const MAX_IO_HEADER_BYTES = 64 << 20;

interface StreamInfo {
  id: number;
  type: string;
  attributes: Record<string, string>;
}

/** Extracts the streams from the IOHeader XML (`<node name="N" path=".../outInfo/N/">` blocks). */
function parseStreams(xml: string): Map<number, StreamInfo> {
  const streams = new Map<number, StreamInfo>();
  const nodePattern = /<node name="(\d+)" path="[^"]*\/outInfo\/\d+\/">/g;
  const starts: Array<{ id: number; index: number }> = [];
  for (let match = nodePattern.exec(xml); match !== null; match = nodePattern.exec(xml)) {
    starts.push({ id: Number(match[1]), index: match.index });
  }
  starts.forEach((start, k) => {
    const block = xml.slice(start.index, k + 1 < starts.length ? starts[k + 1].index : xml.length);
    const attributes: Record<string, string> = {};
    const attrPattern = /<attr key="([^"]+)" type="[^"]*">([^<]*)<\/attr>/g;
    for (let attr = attrPattern.exec(block); attr !== null; attr = attrPattern.exec(block)) {
      if (!(attr[1] in attributes)) attributes[attr[1]] = attr[2];
    }
    streams.set(start.id, { id: start.id, type: attributes['typeIdentifier'] ?? '', attributes });
  });
  return streams;
}

export const openAedat4: FormatOpener = (source, options) => {
  const fail = (offset: number, detail: string): never => {
    throw new EventFileError(source.path, offset, detail);
  };
  const prefix = source.readAt(0, MAGIC.length + 4);
  if (prefix.toString('latin1', 0, MAGIC.length) !== MAGIC) {
    fail(0, 'expected the AEDAT 4.0 magic line "#!AER-DAT4.0"; check the file or pass the right format');
  }
  if (prefix.length < MAGIC.length + 4) fail(prefix.length, 'the file ends before the AEDAT 4.0 header size');
  const headerSize = prefix.readInt32LE(MAGIC.length);
  const headerStart = MAGIC.length + 4;
  if (headerSize < 8 || headerSize > MAX_IO_HEADER_BYTES) {
    fail(MAGIC.length, `the AEDAT 4.0 header size ${headerSize} is invalid; the file is corrupt`);
  }
  const headerBytes = source.readAt(headerStart, headerSize);
  if (headerBytes.length < headerSize) {
    fail(headerStart + headerBytes.length, `the file ends inside the ${headerSize}-byte AEDAT 4.0 header`);
  }

  let compression = 0;
  let dataTablePosition = -1;
  let xml = '';
  try {
    const table = new FlatTableReader(headerBytes);
    const root = table.rootTable(0);
    compression = table.int32Field(root, 0, 0);
    dataTablePosition = table.int64Field(root, 1, -1);
    xml = table.stringField(root, 2) ?? '';
  } catch (error) {
    if (!(error instanceof FlatBufferError)) throw error;
    fail(headerStart, `the AEDAT 4.0 IOHeader table is invalid (${error.message})`);
  }
  if (COMPRESSION_NAMES[compression] === undefined) {
    fail(headerStart, `unknown AEDAT 4.0 compression code ${compression} (expected 0-4)`);
  }
  const bodyStart = headerStart + headerSize;
  if (dataTablePosition !== -1 && dataTablePosition < bodyStart) {
    fail(headerStart, `the data table position ${dataTablePosition} lies inside the header`);
  }

  const streams = parseStreams(xml);
  const eventStreams = [...streams.values()].filter((stream) => stream.type === 'EVTS');
  const selected =
    options.aedat4StreamId !== undefined ? streams.get(options.aedat4StreamId) : eventStreams[0];
  if (selected === undefined || selected.type !== 'EVTS') {
    const streamDescription = options.aedat4StreamId !== undefined ? `stream ${options.aedat4StreamId}` : 'any stream';
    fail(
      headerStart,
      `the AEDAT 4.0 header declares no EVTS (event) data in ${streamDescription}, so the file contains no polarity events to read`,
    );
  }
  const eventStream = selected as StreamInfo;

  const header: Record<string, string> = {
    version: '4.0',
    compression: COMPRESSION_NAMES[compression],
    dataTablePosition: String(dataTablePosition),
    eventStreamId: String(eventStream.id),
    streams: [...streams.values()].map((stream) => `${stream.id}:${stream.type}`).join(' '),
  };
  for (const key of ['source', 'sizeX', 'sizeY', 'tsOffset', 'originalOutputName']) {
    const value = eventStream.attributes[key];
    if (value !== undefined) header[key] = value;
  }
  const width = Number.parseInt(eventStream.attributes['sizeX'] ?? '', 10);
  const height = Number.parseInt(eventStream.attributes['sizeY'] ?? '', 10);

  const packets = new Aedat4PacketReader(
    source,
    streams,
    eventStream.id,
    compression,
    bodyStart,
    dataTablePosition,
    options.maxDecompressedBytes ?? DEFAULT_MAX_DECOMPRESSED_BYTES,
  );
  return {
    headerBytes: bodyStart,
    sensorSize: width > 0 && height > 0 ? { width, height, source: 'header' } : null,
    chip: eventStream.attributes['source'],
    header,
    body: (sink) => packets.read(sink),
  };
};

class Aedat4PacketReader {
  constructor(
    private readonly source: FileSource,
    private readonly streams: Map<number, StreamInfo>,
    private readonly eventStreamId: number,
    private readonly compression: number,
    private readonly bodyStart: number,
    private readonly dataTablePosition: number,
    private readonly maxDecompressedBytes: number,
  ) {}

  *read(sink: EventSink): Generator<EventChunk> {
    const source = this.source;
    const end = this.dataTablePosition > 0 ? Math.min(this.dataTablePosition, source.size) : source.size;
    let position = this.bodyStart;

    while (position < end) {
      if (position + PACKET_HEADER_BYTES > end) {
        sink.truncated(position, `the file ends inside a packet header (${end - position} of ${PACKET_HEADER_BYTES} bytes)`);
        return;
      }
      const packetHeader = source.readAt(position, PACKET_HEADER_BYTES);
      const streamId = packetHeader.readInt32LE(0);
      const size = packetHeader.readInt32LE(4);
      const stream = this.streams.get(streamId);
      if (stream === undefined) {
        throw new EventFileError(
          source.path,
          position,
          `packet of stream id ${streamId}, which the header does not declare; the file is corrupt`,
        );
      }
      if (size < 0) {
        throw new EventFileError(source.path, position, `packet size ${size} is negative; the file is corrupt`);
      }
      const payloadStart = position + PACKET_HEADER_BYTES;
      if (payloadStart + size > end) {
        sink.truncated(position, `the file ends inside a ${size}-byte packet of stream ${streamId}`);
        return;
      }

      if (streamId === this.eventStreamId) {
        const data = this.unpack(position, source.readAt(payloadStart, size), stream.type);
        yield* this.emitEvents(data, position, sink);
      } else if (stream.type === 'FRME') {
        sink.skip('framePackets');
      } else if (stream.type === 'IMUS' || stream.type === 'TRIG') {
        const data = this.unpack(position, source.readAt(payloadStart, size), stream.type);
        const count = this.elementCount(data, position);
        sink.skip(stream.type === 'IMUS' ? 'imuSamples' : 'triggers', count);
      } else {
        sink.skip(`${stream.type || 'untyped'}Packets`);
      }
      position = payloadStart + size;
    }

    if (this.dataTablePosition > source.size) {
      sink.truncated(source.size, `the file ends before the data table that the header places at byte ${this.dataTablePosition}`);
    }
  }

  /** Decompresses a packet and checks its size prefix and FlatBuffer identifier. */
  private unpack(packetOffset: number, payload: Buffer, expectedType: string): FlatTableReader {
    let data: Uint8Array;
    try {
      data = decompressPacket(payload, this.compression, this.maxDecompressedBytes);
    } catch (error) {
      if (!(error instanceof DecompressionError)) throw error;
      throw new EventFileError(this.source.path, packetOffset, `cannot decompress the packet: ${error.message}`);
    }
    const table = new FlatTableReader(data);
    try {
      const identifier = table.identifier(4);
      if (identifier !== expectedType) {
        throw new EventFileError(
          this.source.path,
          packetOffset,
          `packet identifier ${JSON.stringify(identifier)} does not match its stream type ${expectedType}; the file is corrupt`,
        );
      }
    } catch (error) {
      if (!(error instanceof FlatBufferError)) throw error;
      throw new EventFileError(this.source.path, packetOffset, `the packet is too short for a FlatBuffer (${error.message})`);
    }
    return table;
  }

  private elementCount(table: FlatTableReader, packetOffset: number): number {
    try {
      return table.vectorField(table.rootTable(4), 0, 4)?.count ?? 0;
    } catch (error) {
      if (!(error instanceof FlatBufferError)) throw error;
      throw new EventFileError(this.source.path, packetOffset, `the packet's FlatBuffer is invalid (${error.message})`);
    }
  }

  private *emitEvents(table: FlatTableReader, packetOffset: number, sink: EventSink): Generator<EventChunk> {
    let vector: { start: number; count: number } | null;
    try {
      vector = table.vectorField(table.rootTable(4), 0, EVENT_STRUCT_BYTES);
    } catch (error) {
      if (!(error instanceof FlatBufferError)) throw error;
      throw new EventFileError(this.source.path, packetOffset, `the event packet's FlatBuffer is invalid (${error.message})`);
    }
    if (vector === null) return;

    const bytes = table.bytes;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const end = vector.start + vector.count * EVENT_STRUCT_BYTES;
    let at = vector.start;
    while (at < end) {
      const limit = sink.limit;
      let n = sink.n;
      let lastT = sink.lastT;
      for (; at < end && n < limit; at += EVENT_STRUCT_BYTES) {
        const high = view.getInt32(at + 4, true);
        const t = high * 4294967296 + view.getUint32(at, true);
        const x = view.getInt16(at + 8, true);
        const y = view.getInt16(at + 10, true);
        const p = bytes[at + 12];
        if (high < 0 || high >= 2 ** 21 || x < 0 || y < 0 || p > 1) {
          sink.rejectInvalid(
            packetOffset,
            () =>
              `event ${(at - vector.start) / EVENT_STRUCT_BYTES} of this packet is invalid ` +
              `(t=${t}, x=${x}, y=${y}, polarity byte ${p}). Expected 0 <= t < 2^53, x, y >= 0 and polarity 0 or 1`,
          );
          continue;
        }
        if (x >= sink.width || y >= sink.height) {
          sink.rejectOutOfRange(packetOffset, x, y);
          continue;
        }
        if (t < lastT) {
          sink.lastT = lastT;
          if (!sink.acceptBackwards(packetOffset, t)) continue;
        } else {
          lastT = t;
        }
        sink.t[n] = t;
        sink.x[n] = x;
        sink.y[n] = y;
        sink.p[n] = p;
        n++;
      }
      sink.n = n;
      sink.lastT = lastT;
      if (sink.full) yield sink.takeChunk();
    }
  }
}
