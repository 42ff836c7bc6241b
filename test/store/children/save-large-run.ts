// Child of crash.test.ts: starts saving a large run, prints "inside-transaction" once half of its
// rows are written, then blocks inside the transaction until the parent kills it.
import * as fs from 'node:fs';
import { openStore } from '../../../src/store/store';
import { makeRunRequest } from '../fixtures';

const [dbFile, variant] = process.argv.slice(2);
const store = openStore(dbFile);
const request = makeRunRequest(variant, { layerCount: 20, timesteps: 40 });
let signalled = false;

store.saveRun(request, {
  onProgress: (rowsWritten, rowsTotal) => {
    if (signalled || rowsWritten < rowsTotal / 2) {
      return;
    }
    signalled = true;
    fs.writeSync(1, `inside-transaction ${rowsWritten} ${rowsTotal}\n`);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000);
  },
});
fs.writeSync(1, 'saved\n');
