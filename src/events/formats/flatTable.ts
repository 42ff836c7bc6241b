/**
 * Bounds-checked reading of FlatBuffers tables without generated code, for the AEDAT 4.0 header
 * and packets.
 *
 * The flatbuffers package's ByteBuffer reads past the end of its array without an error (the
 * missing bytes read as 0), which turns corrupted offsets into silently wrong values. This
 * accessor checks every offset and throws FlatBufferError instead.
 */
export class FlatBufferError extends Error {}

export class FlatTableReader {
  private readonly view: DataView;
  readonly length: number;

  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.length = bytes.length;
  }

  /** Returns the position of the root table of the buffer that starts at `start`. */
  rootTable(start: number): number {
    return this.uoffset(start);
  }

  /** Returns the 4-character file identifier that follows the root offset at `start`. */
  identifier(start: number): string {
    this.check(start + 4, 4);
    return String.fromCharCode(...this.bytes.subarray(start + 4, start + 8));
  }

  /** Returns the absolute position of field `index` of the table at `table`, or 0 when the field is absent. */
  field(table: number, index: number): number {
    this.check(table, 4);
    const vtable = table - this.view.getInt32(table, true);
    this.check(vtable, 4);
    const vtableBytes = this.view.getUint16(vtable, true);
    const slot = 4 + 2 * index;
    if (slot + 2 > vtableBytes) return 0;
    this.check(vtable + slot, 2);
    const offset = this.view.getUint16(vtable + slot, true);
    if (offset === 0) return 0;
    this.check(table + offset, 1);
    return table + offset;
  }

  int32Field(table: number, index: number, defaultValue: number): number {
    const at = this.field(table, index);
    if (at === 0) return defaultValue;
    this.check(at, 4);
    return this.view.getInt32(at, true);
  }

  /** Reads an int64 field as a number; values beyond 2^53 raise FlatBufferError. */
  int64Field(table: number, index: number, defaultValue: number): number {
    const at = this.field(table, index);
    if (at === 0) return defaultValue;
    return this.int64(at);
  }

  int64(at: number): number {
    this.check(at, 8);
    const high = this.view.getInt32(at + 4, true);
    const low = this.view.getUint32(at, true);
    if (high >= 2 ** 21 || high < -(2 ** 21)) throw new FlatBufferError(`int64 value at ${at} exceeds 2^53`);
    return high * 2 ** 32 + low;
  }

  stringField(table: number, index: number): string | null {
    const at = this.field(table, index);
    if (at === 0) return null;
    const start = this.uoffset(at);
    this.check(start, 4);
    const length = this.view.getUint32(start, true);
    this.check(start + 4, length);
    return Buffer.from(this.bytes.buffer, this.bytes.byteOffset + start + 4, length).toString('utf8');
  }

  /**
   * Returns the first element position and element count of the vector in field `index`, or
   * null when the field is absent. The elements, `elementBytes` each, are checked to lie inside
   * the buffer.
   */
  vectorField(table: number, index: number, elementBytes: number): { start: number; count: number } | null {
    const at = this.field(table, index);
    if (at === 0) return null;
    const vector = this.uoffset(at);
    this.check(vector, 4);
    const count = this.view.getUint32(vector, true);
    this.check(vector + 4, count * elementBytes);
    return { start: vector + 4, count };
  }

  private uoffset(at: number): number {
    this.check(at, 4);
    return at + this.view.getUint32(at, true);
  }

  private check(at: number, bytes: number): void {
    if (at < 0 || bytes < 0 || at + bytes > this.length) {
      throw new FlatBufferError(`offset ${at} (+${bytes} bytes) lies outside the ${this.length}-byte FlatBuffer`);
    }
  }
}
