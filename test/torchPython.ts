// Running PyTorch from the tests: /usr/bin/python3 with one OpenMP thread (the machine is shared),
// and whether torch is there at all (tests that need it skip, and say so, where it is not; CI
// installs Debian's python3-torch so they run there).
import { execFileSync } from 'node:child_process';

export const PYTHON = '/usr/bin/python3';
export const TORCH_ENV = { ...process.env, OMP_NUM_THREADS: '1' };

export function hasTorch(): boolean {
  try {
    execFileSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore', timeout: 60_000, env: TORCH_ENV });
    return true;
  } catch {
    return false;
  }
}

/** Runs a Python script with `input` on stdin; returns its stdout parsed as JSON. */
export function runPython<T>(script: string, input: unknown): T {
  return JSON.parse(
    execFileSync(PYTHON, ['-c', script], {
      input: JSON.stringify(input),
      encoding: 'utf8',
      timeout: 120_000,
      env: TORCH_ENV,
    }),
  ) as T;
}
