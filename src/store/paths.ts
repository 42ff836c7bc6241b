import * as path from 'node:path';

/** Environment variable that sets the default database file. */
export const DATABASE_ENV_VAR = 'STEMSIM_DB';

/** Folder, under the current working directory, of the default database and the default reports. */
export const DATA_DIRECTORY = 'stemsim-data';

export const DEFAULT_DATABASE_FILE_NAME = 'stemsim.db';

/**
 * Returns the absolute path of the database file: `explicitPath` if given, else `$STEMSIM_DB` if set
 * and not empty, else `stemsim-data/stemsim.db` under the current working directory.
 */
export function resolveDatabasePath(explicitPath?: string): string {
  const fromEnvironment = process.env[DATABASE_ENV_VAR];
  if (explicitPath !== undefined && explicitPath !== '') {
    return path.resolve(explicitPath);
  }
  if (fromEnvironment !== undefined && fromEnvironment !== '') {
    return path.resolve(fromEnvironment);
  }
  return path.resolve(DATA_DIRECTORY, DEFAULT_DATABASE_FILE_NAME);
}

/** Returns the default report path, `stemsim-data/report-<ids joined by '-'>.html` under the current working directory. */
export function defaultReportPath(runIds: readonly number[]): string {
  return path.resolve(DATA_DIRECTORY, `report-${runIds.join('-')}.html`);
}
