import * as fs from 'node:fs';
import * as path from 'node:path';
import { RunStore } from '../store/store';
import { renderReportPage } from './page';

/**
 * Writes one static HTML report of the given runs to `outFile` (creating its folder) and returns
 * the file's absolute path. The page inlines the vega bundles and the chart data, so it needs no
 * network to view. Throws a StoreError when a run id is not stored.
 */
export function writeReport(store: RunStore, runIds: readonly number[], outFile: string): string {
  if (runIds.length === 0) {
    throw new Error('cannot write a report of no runs; pass at least one run id (`stemsim db list` lists them)');
  }
  const runs = runIds.map((runId) => store.getRun(runId));
  const html = renderReportPage(runs, {
    databaseFile: store.file,
    toolVersion: store.toolVersion,
    writtenAt: new Date().toISOString(),
  });

  const file = path.resolve(outFile);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, html);
  return file;
}
