/** A database file that cannot be opened or a run that cannot be stored or read. `file` is the database file. */
export class StoreError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
    this.name = 'StoreError';
  }
}
