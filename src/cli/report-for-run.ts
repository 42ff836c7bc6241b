import { RunPipelineResult } from '../pipeline/run';
import { defaultReportPath } from '../store/paths';
import { openStore } from '../store/store';
import { writeReport } from '../report/write-report';

/** Writes the HTML report of a finished run and returns its path. */
export function writeRunReport(result: RunPipelineResult, db: string | undefined, outFile?: string): string {
  const store = openStore(db ?? result.databaseFile, { mustExist: true });
  try {
    return writeReport(store, [result.runId], outFile ?? defaultReportPath([result.runId]));
  } finally {
    store.close();
  }
}
