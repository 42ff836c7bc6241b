import { Command } from 'commander';
import { writeReport } from '../report/write-report';
import { StoreError } from '../store/errors';
import { defaultReportPath } from '../store/paths';
import { openStore } from '../store/store';
import { DB_OPTION_HELP, parseRunId } from './db';

/** Registers `stemsim report`, which writes a static HTML report of stored runs and prints its path. */
export function registerReportCommand(program: Command): void {
  program
    .command('report')
    .description('Write a static HTML report (charts and tables, viewable offline) of stored runs and print its path')
    .argument('[ids...]', 'run ids (default: the latest run)', (value: string, previous: number[] = []) => [...previous, parseRunId(value)])
    .option('--db <file>', DB_OPTION_HELP)
    .option('--out <file>', 'HTML file to write (default: stemsim-data/report-<ids joined by ->.html in the current directory)')
    .action((ids: number[] | undefined, options: { db?: string; out?: string }) => {
      const store = openStore(options.db, { mustExist: true });
      try {
        const runIds = [...new Set(ids ?? [])];
        if (runIds.length === 0) {
          const latest = store.latestRunId();
          if (latest === undefined) {
            throw new StoreError(store.file, 'stores no runs to report; `stemsim run` adds one');
          }
          runIds.push(latest);
        }
        console.log(writeReport(store, runIds, options.out ?? defaultReportPath(runIds)));
      } finally {
        store.close();
      }
    });
}
