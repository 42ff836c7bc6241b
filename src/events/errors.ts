/**
 * Error raised for any event file that cannot be decoded: wrong magic, truncated records,
 * invalid fields or unsupported variants. The message names the file and the byte offset, states
 * what was found there and what the caller can do about it.
 */
export class EventFileError extends Error {
  readonly file: string;
  /** Offset in the file where the problem was found; for compressed data, the offset of the packet or element that contains it. */
  readonly byteOffset: number;
  /** The problem alone, without the file and offset prefix. */
  readonly detail: string;

  constructor(file: string, byteOffset: number, detail: string) {
    super(`${file}: at byte offset ${byteOffset}: ${detail}`);
    this.name = 'EventFileError';
    this.file = file;
    this.byteOffset = byteOffset;
    this.detail = detail;
  }
}
