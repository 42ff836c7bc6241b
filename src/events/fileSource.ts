import * as fs from 'fs';

import { EventFileError } from './errors';

/** Random-access reads from an open file through a file descriptor, without loading the file. */
export class FileSource {
  readonly path: string;
  readonly size: number;
  private fd: number | null;

  constructor(path: string) {
    this.path = path;
    try {
      this.fd = fs.openSync(path, 'r');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
      throw new EventFileError(path, 0, `cannot open the file (${code}); check the path and its permissions`);
    }
    const stat = fs.fstatSync(this.fd);
    if (!stat.isFile()) {
      fs.closeSync(this.fd);
      this.fd = null;
      throw new EventFileError(path, 0, 'not a regular file; pass the path of an event recording');
    }
    this.size = stat.size;
  }

  /** Reads up to `length` bytes at file offset `position` into `target[offset..]`; returns the number read (less only at end of file). */
  readInto(target: Uint8Array, offset: number, length: number, position: number): number {
    if (this.fd === null) throw new Error(`${this.path} is already closed`);
    let total = 0;
    while (total < length) {
      const n = fs.readSync(this.fd, target, offset + total, length - total, position + total);
      if (n === 0) break;
      total += n;
    }
    return total;
  }

  /** Returns up to `length` bytes starting at `position` (fewer at end of file). */
  readAt(position: number, length: number): Buffer {
    const available = Math.max(0, Math.min(length, this.size - position));
    const buffer = Buffer.allocUnsafe(available);
    const n = this.readInto(buffer, 0, available, position);
    return n === available ? buffer : buffer.subarray(0, n);
  }

  close(): void {
    if (this.fd !== null) {
      fs.closeSync(this.fd);
      this.fd = null;
    }
  }
}
