import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Runs every bench/*.bench.ts in turn; each prints its figures and writes its own section of bench/RESULTS.md. */
const benchDir = __dirname;
const benchmarks = fs
  .readdirSync(benchDir)
  .filter((file) => file.endsWith('.bench.ts'))
  .sort();

let failed = 0;
for (const file of benchmarks) {
  console.log(`\n=== ${file} ===`);
  const result = spawnSync(process.execPath, [require.resolve('tsx/cli'), path.join(benchDir, file)], { stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`${file} failed with exit code ${result.status}`);
    failed++;
  }
}
process.exitCode = failed > 0 ? 1 : 0;
