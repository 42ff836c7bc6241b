import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import * as path from 'node:path';

const REPOSITORY_ROOT = path.resolve(__dirname, '..', '..');

const startedChildren: ChildProcessWithoutNullStreams[] = [];

/** Starts `node --import tsx` on a script under test/store/children. */
export function spawnChild(script: string, args: string[]): ChildProcessWithoutNullStreams {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'children', script), ...args], {
    cwd: REPOSITORY_ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  startedChildren.push(child);
  return child;
}

/** Kills every child started by spawnChild that is still running, so a failed test leaves none behind. */
export function killStartedChildren(): void {
  for (const child of startedChildren.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
    }
  }
}

/** Resolves with the first stdout line that starts with `prefix`; rejects when the child exits first. */
export function waitForLine(child: ChildProcessWithoutNullStreams, prefix: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    let stderr = '';
    const onData = (chunk: Buffer): void => {
      buffered += chunk.toString('utf8');
      const line = buffered.split('\n').find((candidate) => candidate.startsWith(prefix));
      if (line !== undefined) {
        cleanUp();
        resolve(line);
      }
    };
    const onStderr = (chunk: Buffer): void => {
      stderr += chunk.toString('utf8');
    };
    const onExit = (code: number | null, signal: string | null): void => {
      cleanUp();
      reject(new Error(`child exited (code ${code}, signal ${signal}) before printing "${prefix}"; stderr: ${stderr}`));
    };
    const cleanUp = (): void => {
      child.stdout.off('data', onData);
      child.stderr.off('data', onStderr);
      child.off('exit', onExit);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onStderr);
    child.on('exit', onExit);
  });
}

/** Collects a child's whole stdout and stderr and resolves with its exit code and signal. */
export function waitForExit(
  child: ChildProcessWithoutNullStreams,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}
