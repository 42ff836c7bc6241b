/**
 * Invalid input to the capture stage: a weights folder that does not match the network, an event
 * file that cannot be used, a malformed trace. `file` is the file or folder at fault.
 */
export class CaptureError extends Error {
  constructor(
    readonly file: string,
    readonly detail: string,
  ) {
    super(`${file}: ${detail}`);
    this.name = 'CaptureError';
  }
}
