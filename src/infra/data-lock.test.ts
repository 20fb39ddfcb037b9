import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireDataLock, DataDirBusyError, dataLockHolder, type LockHolder } from './data-lock.ts';

describe('the lock on an embedded database folder', () => {
  let dir: string;
  const lockFile = () => join(dir, 'database.lock');
  const writeLock = (holder: LockHolder) => writeFileSync(lockFile(), JSON.stringify(holder));
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'amtsblatt-lock-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is written with pid, start time and purpose, refuses a second opener by name, and is gone after release', async () => {
    const lock = await acquireDataLock(dir, 'amtsblatt serve');
    const written = JSON.parse(readFileSync(lockFile(), 'utf8')) as LockHolder;
    expect(written).toMatchObject({ pid: process.pid, purpose: 'amtsblatt serve' });
    expect(dataLockHolder(dir)).toEqual(written);

    const second = acquireDataLock(dir, 'amtsblatt user add');
    await expect(second).rejects.toBeInstanceOf(DataDirBusyError);
    await expect(second).rejects.toThrow(
      new RegExp(
        `^Die eingebettete Datenbank in ${dir} wird gerade von Prozess ${process.pid} \\(amtsblatt serve, seit \\d\\d:\\d\\d\\) benutzt\\.$`,
      ),
    );

    lock.release();
    expect(existsSync(lockFile())).toBe(false);
    expect(dataLockHolder(dir)).toBeNull();
    (await acquireDataLock(dir, 'amtsblatt user add')).release();
  });

  it('refuses while another process holds it and takes it over once that process is gone', async () => {
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30_000)']);
    try {
      const pid = other.pid ?? 0;
      writeLock({ pid, startedAt: '2025-03-04T08:12:00.000Z', purpose: 'amtsblatt serve' });
      await expect(acquireDataLock(dir, 'amtsblatt migrate')).rejects.toThrow(`von Prozess ${pid} (amtsblatt serve, seit 04.03.2025,`);
    } finally {
      other.kill('SIGKILL');
      await new Promise((r) => other.once('exit', r));
    }
    const stale: (LockHolder | null)[] = [];
    const lock = await acquireDataLock(dir, 'amtsblatt migrate', (holder) => stale.push(holder));
    expect(stale).toEqual([{ pid: other.pid, startedAt: '2025-03-04T08:12:00.000Z', purpose: 'amtsblatt serve' }]);
    expect(JSON.parse(readFileSync(lockFile(), 'utf8'))).toMatchObject({ pid: process.pid, purpose: 'amtsblatt migrate' });
    lock.release();
  });

  it('takes over a lock whose pid now belongs to a process that is not Node (pid reused after a crash)', async () => {
    const unrelated = spawn('sleep', ['30']);
    try {
      writeLock({ pid: unrelated.pid ?? 0, startedAt: '2025-03-04T08:12:00.000Z', purpose: 'amtsblatt serve' });
      const stale: (LockHolder | null)[] = [];
      const lock = await acquireDataLock(dir, 'amtsblatt migrate', (holder) => stale.push(holder));
      expect(stale).toHaveLength(1);
      lock.release();
    } finally {
      unrelated.kill('SIGKILL');
    }
  });

  it('takes over a lock of a dead process, of its own pid from an earlier life (container restart) and an unreadable old one', async () => {
    const dead = spawnSync('true').pid;
    for (const content of [
      JSON.stringify({ pid: dead, startedAt: new Date().toISOString(), purpose: 'amtsblatt serve' }),
      JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString(), purpose: 'amtsblatt serve' }),
      'kaputt',
    ]) {
      writeFileSync(lockFile(), content);
      utimesSync(lockFile(), new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
      expect(dataLockHolder(dir)).toBeNull();
      let warned = 0;
      const lock = await acquireDataLock(dir, 'amtsblatt serve', () => warned++);
      expect(warned).toBe(1);
      lock.release();
    }
  });
});
