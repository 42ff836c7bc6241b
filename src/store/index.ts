export { compareStoredRuns } from './compare-runs';
export type { ComparedMetric, FigureComparison, InputDifference, OptionDifference, RunComparison } from './compare-runs';
export { StoreError } from './errors';
export { CSV_COLUMNS, EXPORT_FORMATS, formatRun } from './export-run';
export type { ExportFormat } from './export-run';
export { computeInputKey, sha256OfFile, sha256OfText, TOOL_VERSION } from './input-key';
export { MIGRATIONS, SCHEMA_VERSION } from './migrations';
export { DATA_DIRECTORY, DATABASE_ENV_VAR, defaultReportPath, resolveDatabasePath } from './paths';
export { BUSY_TIMEOUT_MS, openStore, RunStore } from './store';
export type { OpenStoreOptions } from './store';
export { NO_SAMPLE, RESULT_KINDS } from './types';
export type {
  BySample,
  InputRef,
  InputRole,
  JsonObject,
  JsonValue,
  ResultKind,
  RunInputs,
  RunListing,
  SaveProgressHandler,
  SaveRunOptions,
  SaveRunRequest,
  SparsityProfileRow,
  StoredRun,
  TraceInputRef,
} from './types';
