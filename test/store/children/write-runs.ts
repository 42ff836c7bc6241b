// Child of concurrency.test.ts: opens the database, prints "ready", waits for a line on stdin,
// then saves one run per variant and prints each run id.
import * as fs from 'node:fs';
import { openStore } from '../../../src/store/store';
import { makeRunRequest } from '../fixtures';

const [dbFile, ...variants] = process.argv.slice(2);
const store = openStore(dbFile);
fs.writeSync(1, 'ready\n');

// The parent closes stdin without a line when it gives up, for example because the other child failed.
process.stdin.once('end', () => process.exit(1));
process.stdin.once('data', () => {
  for (const variant of variants) {
    const runId = store.saveRun(makeRunRequest(variant, { layerCount: 6, timesteps: 20 }));
    fs.writeSync(1, `saved ${variant} ${runId}\n`);
  }
  store.close();
  process.exit(0);
});
