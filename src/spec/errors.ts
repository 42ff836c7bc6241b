/**
 * An invalid network, hardware or mapping description. `file` is the spec file (or a label such as
 * "built-in default mapping"), `fieldPath` a JSON pointer to the offending field.
 */
export class SpecError extends Error {
  constructor(
    readonly file: string,
    readonly fieldPath: string,
    readonly reason: string,
  ) {
    super(`${file}: ${fieldPath || '/'}: ${reason}`);
    this.name = 'SpecError';
  }
}
