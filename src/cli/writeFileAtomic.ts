// Writing a model file, a report or a shard so that no reader and no crash ever sees half of it: the
// bytes go to a temporary file beside the target, are flushed to disk, and the temporary file is
// renamed over the target (rename(2) replaces a file atomically within one file system). Every
// command that writes a file it produced goes through here; only src/cli touches the file system.
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export interface AtomicWriteHooks {
  /** Runs after the temporary file is complete and before the rename: tests inject a failure here. */
  beforeRename?(tmpPath: string): void;
}

let written = 0;

/**
 * Writes `data` to `path` atomically: either the previous file (if any) or the complete new one is
 * there, never a truncated mix. On failure the temporary file is removed and the error is rethrown.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array, hooks: AtomicWriteHooks = {}): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${written++}.tmp`);
  try {
    const fd = openSync(tmp, 'w');
    try {
      writeFileSync(fd, data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    hooks.beforeRename?.(tmp);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}
