#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, so the installed command needs no build step.
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const tsxCli = require.resolve('tsx/cli');
const entry = path.join(__dirname, '..', 'src', 'cli', 'main.ts');
const result = spawnSync(process.execPath, [tsxCli, entry, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(result.status ?? 1);
