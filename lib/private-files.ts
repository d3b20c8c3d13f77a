/**
 * Files that hold secrets or personal data are created readable by their owner only.
 *
 * The ledger and the mocks' journals hold every order with its customer's name, address and
 * e-mail; the engine's SQLite file holds the same; a run directory holds all of them plus logs the
 * integration wrote. On a shared machine (a CI runner, a consultant's jump host) the process
 * umask usually leaves such files world-readable (0644), so each is opened with mode 0600 and
 * chmod-ed after opening: `open(2)`'s mode only applies when the file is created, and a file left
 * by an older run keeps whatever mode it had. Directories the harness creates for them are 0700.
 * A directory the user already had is left as it is: the harness does not change the mode of a
 * folder it did not make (`--out .` must not lock the user out of their own project).
 */
import { chmodSync, closeSync, copyFileSync, createWriteStream, existsSync, fchmodSync, mkdirSync, openSync, writeSync, type WriteStream } from 'node:fs';

export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

/** Create `dir` (and missing parents) as 0700; a directory that already existed keeps its mode. */
export function makePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
}

/** Open (and create) a file readable and writable by its owner only. */
export function openPrivateFile(path: string, flags: 'w' | 'a' | 'r+' = 'w'): number {
  const fd = openSync(path, flags, PRIVATE_FILE_MODE);
  try {
    fchmodSync(fd, PRIVATE_FILE_MODE);
  } catch (error) {
    closeSync(fd);
    throw error;
  }
  return fd;
}

/** `writeFileSync`, but the file is 0600 whether it is new or not. */
export function writePrivateFile(path: string, data: string | Uint8Array): void {
  const fd = openPrivateFile(path, 'w');
  try {
    const buffer = typeof data === 'string' ? Buffer.from(data) : data;
    let written = 0;
    while (written < buffer.length) written += writeSync(fd, buffer, written, buffer.length - written);
  } finally {
    closeSync(fd);
  }
}

/** Append to a private file (created 0600 when missing). */
export function appendPrivateFile(path: string, data: string): void {
  const fd = openPrivateFile(path, 'a');
  try {
    writeSync(fd, data);
  } finally {
    closeSync(fd);
  }
}

/** Copy a file; the copy is 0600 (a plain copy would take the source's mode). */
export function copyPrivateFile(from: string, to: string): void {
  copyFileSync(from, to);
  chmodSync(to, PRIVATE_FILE_MODE);
}

/** A write stream on a private file. */
export function createPrivateWriteStream(path: string, flags: 'w' | 'a' = 'w'): WriteStream {
  return createWriteStream('', { fd: openPrivateFile(path, flags) });
}

/**
 * Make sure a file another library will open (SQLite) exists as 0600 first. SQLite creates its
 * `-wal` and `-shm` files with the database file's mode, so they follow; ones left by an older
 * run are tightened here too.
 */
export function preparePrivateFile(path: string, companions: readonly string[] = []): void {
  closeSync(openPrivateFile(path, 'a'));
  for (const suffix of companions) {
    if (existsSync(`${path}${suffix}`)) chmodSync(`${path}${suffix}`, PRIVATE_FILE_MODE);
  }
}
