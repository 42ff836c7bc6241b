/**
 * Re-encoding of a real AEDAT 4.0 file with another packet compression, for tests. Every packet
 * and the data table are decompressed (LZ4) and written again, either uncompressed, as
 * Zstandard frames made of raw blocks, or through the `zstd` command when it is installed.
 */
import { execFileSync } from 'child_process';

import { decompressPacket } from '../../src/events/formats/decompress';
import { FlatTableReader } from '../../src/events/formats/flatTable';

const MAGIC_BYTES = 14;
const ZSTD_MAX_BLOCK = 128 * 1024;

export type Recompression = 'none' | 'zstd-raw' | 'zstd-cli';

export interface Aedat4Packet {
  offset: number;
  streamId: number;
  payload: Buffer;
}

export interface Aedat4Layout {
  headerEnd: number;
  compression: number;
  compressionFieldAt: number;
  dataTableFieldAt: number;
  dataTablePosition: number;
  packets: Aedat4Packet[];
}

export function parseAedat4(file: Buffer): Aedat4Layout {
  const headerSize = file.readInt32LE(MAGIC_BYTES);
  const headerStart = MAGIC_BYTES + 4;
  const table = new FlatTableReader(file.subarray(headerStart, headerStart + headerSize));
  const root = table.rootTable(0);
  const compressionFieldAt = headerStart + table.field(root, 0);
  const dataTableFieldAt = headerStart + table.field(root, 1);
  const compression = file.readInt32LE(compressionFieldAt);
  const dataTablePosition = Number(file.readBigInt64LE(dataTableFieldAt));
  const packets: Aedat4Packet[] = [];
  let position = headerStart + headerSize;
  const packetsEnd = dataTablePosition >= 0 ? dataTablePosition : file.length;
  while (position < packetsEnd) {
    const streamId = file.readInt32LE(position);
    const size = file.readInt32LE(position + 4);
    packets.push({ offset: position, streamId, payload: file.subarray(position + 8, position + 8 + size) });
    position += 8 + size;
  }
  return { headerEnd: headerStart + headerSize, compression, compressionFieldAt, dataTableFieldAt, dataTablePosition, packets };
}

/** Encodes bytes as one Zstandard frame of raw (stored) blocks with the content size in the header. */
export function zstdRawFrame(data: Uint8Array): Buffer {
  const parts: Buffer[] = [];
  const header = Buffer.alloc(9);
  header.writeUInt32LE(0xfd2fb528, 0);
  header[4] = (2 << 6) | (1 << 5);
  header.writeUInt32LE(data.length, 5);
  parts.push(header);
  let offset = 0;
  do {
    const size = Math.min(ZSTD_MAX_BLOCK, data.length - offset);
    const last = offset + size >= data.length ? 1 : 0;
    const blockHeader = Buffer.alloc(3);
    blockHeader.writeUIntLE((size << 3) | last, 0, 3);
    parts.push(blockHeader, Buffer.from(data.subarray(offset, offset + size)));
    offset += size;
  } while (offset < data.length);
  return Buffer.concat(parts);
}

export function zstdCliAvailable(): boolean {
  try {
    execFileSync('zstd', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function compress(data: Uint8Array, how: Recompression): Buffer {
  if (how === 'none') return Buffer.from(data);
  if (how === 'zstd-raw') return zstdRawFrame(data);
  return execFileSync('zstd', ['-q', '-c', '-3'], { input: data });
}

/** Returns a copy of an LZ4 AEDAT 4.0 file re-encoded with `how`; a data-table position of -1 is kept. */
export function recompressAedat4(file: Buffer, how: Recompression, transformPayload?: (packet: Aedat4Packet, data: Uint8Array) => Uint8Array): Buffer {
  const layout = parseAedat4(file);
  const header = Buffer.from(file.subarray(0, layout.headerEnd));
  header.writeInt32LE(how === 'none' ? 0 : 3, layout.compressionFieldAt);
  const parts: Buffer[] = [header];
  let position = layout.headerEnd;
  for (const packet of layout.packets) {
    let data = decompressPacket(packet.payload, layout.compression, 1 << 30);
    if (transformPayload) data = transformPayload(packet, data);
    const payload = compress(data, how);
    const packetHeader = Buffer.alloc(8);
    packetHeader.writeInt32LE(packet.streamId, 0);
    packetHeader.writeInt32LE(payload.length, 4);
    parts.push(packetHeader, payload);
    position += 8 + payload.length;
  }
  if (layout.dataTablePosition >= 0) {
    header.writeBigInt64LE(BigInt(position), layout.dataTableFieldAt);
    const dataTable = decompressPacket(file.subarray(layout.dataTablePosition), layout.compression, 1 << 30);
    parts.push(compress(dataTable, how));
  }
  return Buffer.concat(parts);
}
