import { closeSync, linkSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * One process at a time on an embedded database folder. PGlite has no locking of its own: a second
 * instance on the same files does not see the first one's writes, and both writing corrupts them.
 * The opener creates `database.lock` exclusively (O_EXCL) with its pid, start time and purpose; a
 * second opener whose holder still runs is refused, a lock left by a process that died is taken over.
 */
const LOCK_FILE = 'database.lock';

const holderSchema = z.object({
  pid: z.number().int().positive(),
  startedAt: z.iso.datetime(),
  purpose: z.string().min(1),
});
export type LockHolder = z.infer<typeof holderSchema>;

export interface DataLock {
  release(): void;
}

/** Lock files this process holds, with their content: a second open in the same process is refused too. */
const held = new Map<string, string>();

export class DataDirBusyError extends Error {
  constructor(
    public readonly dataDir: string,
    public readonly holder: LockHolder,
  ) {
    super(busyMessage(dataDir, holder));
  }
}

export function busyMessage(dataDir: string, holder: LockHolder): string {
  return `Die eingebettete Datenbank in ${dataDir} wird gerade von Prozess ${holder.pid} (${holder.purpose}, seit ${since(new Date(holder.startedAt))}) benutzt.`;
}

function since(date: Date): string {
  const time = date.toLocaleTimeString('de-DE', { hour: '2-digit', minute: '2-digit' });
  if (date.toDateString() === new Date().toDateString()) return time;
  return `${date.toLocaleDateString('de-DE', { day: '2-digit', month: '2-digit', year: 'numeric' })}, ${time}`;
}

const lockPath = (dataDir: string) => join(dataDir, LOCK_FILE);

function readRaw(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

function parseHolder(raw: string): LockHolder | null {
  try {
    const parsed = holderSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

function isRunning(file: string, holder: LockHolder): boolean {
  // Our own pid in a lock we did not take: a container restarted and got the same pid again.
  if (holder.pid === process.pid) return held.has(file);
  // A dead server's pid may now belong to an unrelated process: where /proc tells, only a Node
  // process counts as the holder.
  const command = commandLineOf(holder.pid);
  if (command !== null && !/node/.test(command)) return false;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The running process that holds the folder's database, or null when it is free (or the lock is stale). */
export function dataLockHolder(dataDir: string): LockHolder | null {
  const file = lockPath(dataDir);
  const raw = readRaw(file);
  const holder = raw === null ? null : parseHolder(raw);
  return holder && isRunning(file, holder) ? holder : null;
}

function tryCreate(file: string, content: string): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx', 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  try {
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
  return true;
}

/**
 * Moves a stale lock out of the way. Renaming (not deleting) and comparing what was moved keeps two
 * processes that found the same stale lock from removing each other's fresh one.
 */
function removeStale(file: string, staleRaw: string): void {
  const aside = `${file}.stale-${process.pid}`;
  try {
    renameSync(file, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  if (readRaw(aside) !== staleRaw) {
    // Someone else's fresh lock: put it back unless an even newer one is there already.
    try {
      linkSync(aside, file);
    } catch {}
  }
  unlinkSync(aside);
}

const WRITING_GRACE_MS = 2_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Takes the folder's lock or throws DataDirBusyError naming the running holder. A lock whose
 * process no longer runs (or that is unreadable for longer than it takes to write one) is taken
 * over; `onStale` hears about it.
 */
export async function acquireDataLock(
  dataDir: string,
  purpose: string,
  onStale: (holder: LockHolder | null) => void = () => {},
): Promise<DataLock> {
  const file = lockPath(dataDir);
  const mine: LockHolder = { pid: process.pid, startedAt: new Date().toISOString(), purpose };
  const content = `${JSON.stringify(mine)}\n`;
  for (let attempt = 0; ; attempt++) {
    if (held.has(file)) throw new DataDirBusyError(dataDir, parseHolder(held.get(file) ?? '') ?? mine);
    if (tryCreate(file, content)) break;
    const raw = readRaw(file);
    if (raw === null) continue;
    const holder = parseHolder(raw);
    if (holder && isRunning(file, holder)) throw new DataDirBusyError(dataDir, holder);
    if (!holder && attempt < 50 && Date.now() - statMtime(file) < WRITING_GRACE_MS) {
      // Another opener created the file a moment ago and is still writing its content.
      await sleep(50);
      continue;
    }
    removeStale(file, raw);
    onStale(holder);
  }
  held.set(file, content);
  watchExit();
  return {
    release() {
      if (held.get(file) !== content) return;
      held.delete(file);
      releaseFile(file, content);
    },
  };
}

function statMtime(file: string): number {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

function releaseFile(file: string, content: string): void {
  // Only our own lock: after a takeover by mistake the file may name someone else.
  if (readRaw(file) !== content) return;
  try {
    unlinkSync(file);
  } catch {}
}

let exitWatched = false;
/** A process that ends without closing its database (process.exit, a crash) still leaves the folder free. */
function watchExit(): void {
  if (exitWatched) return;
  exitWatched = true;
  process.on('exit', () => {
    for (const [file, content] of held) releaseFile(file, content);
    held.clear();
  });
}

/** The process's command line from /proc (Linux), or null where that cannot be read. */
function commandLineOf(pid: number): string | null {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return null;
  }
}
