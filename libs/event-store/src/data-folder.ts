import { chmodSync, lstatSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { isMainThread } from 'node:worker_threads';

/** Owner only: the folder and what it holds (the log, the read models, keys and secrets). */
export const DATA_DIR_MODE = 0o700;
export const DATA_FILE_MODE = 0o600;

/**
 * Makes `dir` the owner's alone, whatever the umask the process was started with: the folder 0700, every
 * file in it 0600 (SQLite's -wal and -shm files take their database's mode), and the process's umask 077
 * so that every file created later (by this process and its worker threads) is born 0600 too.
 * Symbolic links are left alone: they point outside the folder (a witness or key on another mount).
 */
export function secureDataFolder(dir: string): void {
  if (isMainThread) process.umask(0o077);
  mkdirSync(dir, { recursive: true, mode: DATA_DIR_MODE });
  tighten(dir);
}

function tighten(dir: string): void {
  chmodSync(dir, DATA_DIR_MODE);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) tighten(path);
    else if (entry.isFile() && (lstatSync(path).mode & 0o777) !== DATA_FILE_MODE) chmodSync(path, DATA_FILE_MODE);
  }
}
