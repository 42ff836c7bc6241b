import { RunPipelineResult } from '../pipeline/run';
import * as path from 'node:path';
import { openStore } from '../store/store';
import { writeReport } from '../report/write-report';

/** Writes the HTML report of a finished run, by default beside its database so that databases do not share reports. */
export function writeRunReport(result: RunPipelineResult, db: string | undefined, outFile?: string): string {
  const store = openStore(db ?? result.databaseFile, { mustExist: true });
  try {
    return writeReport(store, [result.runId], outFile ?? path.join(path.dirname(result.databaseFile), `report-${result.runId}.html`));
  } finally {
    store.close();
  }
}
