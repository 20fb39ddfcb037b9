import type { ImapFlow } from 'imapflow';
import type { Clock } from '../../../infra/clock.ts';
import type { Db } from '../../../infra/db.ts';
import type { Logger } from '../../../infra/log.ts';
import type { EmailSettings } from '../accounts/email-settings.ts';
import { addSkipped, dueRetries, freshCursor, type ImapCursor, loadCursor, recordFailure, saveCursor } from './imap-cursor.ts';
import type { FetchRoundResult, MailHandler, MailMeta, TooLargeHook } from './intake-types.ts';

export interface RoundDeps {
  db: Db;
  log: Logger;
  clock: Clock;
  handler: MailHandler;
  onTooLarge?: TooLargeHook | undefined;
}

export interface RoundSettings {
  accountId: number;
  afterIntake: EmailSettings['afterIntake'];
  maxMessageBytes: number;
  maxFailures: number;
  batchSize: number;
  /** "Jetzt abrufen": messages waiting for another try are tried at once. */
  ignoreBackoff: boolean;
  /** Asked between batches: a stopping intake ends the round after the batch in hand (its cursor saved). */
  shouldStop?: () => boolean;
}

/** Sources fetched in one command stay below this many bytes, so a batch of large mails never sits in memory at once. */
const SOURCE_BYTES_PER_FETCH = 32 * 1024 * 1024;

const chunks = <T>(items: T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

/**
 * One round on an open mailbox: every message above the cursor (and every retry that is due), in
 * ascending UID order and in batches. Per batch the order is fixed (ADR 0008): the handler commits
 * each message, then the handled ones are flagged or moved, then the cursor is saved. A crash between
 * two steps only makes the next round hand a message in again, which the handler answers with
 * 'duplicate'. Connection errors are thrown to the caller; handler errors are counted per message.
 */
export async function fetchRound(client: ImapFlow, deps: RoundDeps, s: RoundSettings): Promise<FetchRoundResult> {
  const mailbox = client.mailbox;
  if (!mailbox) throw new Error('no mailbox open');
  const uidValidity = BigInt(mailbox.uidValidity);
  const result: FetchRoundResult = {
    accountId: s.accountId,
    ok: true,
    stored: 0,
    duplicate: 0,
    held: 0,
    failed: 0,
    skipped: 0,
    backlog: 0,
    uidValidityReset: false,
  };

  let cursor = await loadCursor(deps.db, s.accountId);
  if (!cursor || cursor.uidValidity !== uidValidity.toString()) {
    if (cursor) {
      deps.log.warn(
        { accountId: s.accountId, from: cursor.uidValidity, to: uidValidity.toString() },
        'uidvalidity changed: reading the mailbox again',
      );
      result.uidValidityReset = true;
    }
    cursor = freshCursor(uidValidity);
    await saveCursor(deps.db, s.accountId, cursor);
  }

  const above = cursor.lastUid;
  // "n:*" always names the newest message, even when its UID is below n: filter again here.
  const found = refusedIfFalse(await client.search({ uid: `${above + 1}:*` }, { uid: true }), 'SEARCH');
  const newUids = found.filter((uid) => uid > above).sort((a, b) => a - b);
  const queue = [...dueRetries(cursor, deps.clock.now(), s.ignoreBackoff), ...newUids];
  let remaining = newUids.length;
  const notices: string[] = [];
  cursor.backlog = remaining + Object.keys(cursor.retries).length;

  for (const batch of chunks(queue, s.batchSize)) {
    if (s.shouldStop?.()) break;
    const handled = await handleBatch(client, deps, s, cursor, uidValidity, batch, result, notices);
    await afterIntake(client, handled, s.afterIntake);
    const newInBatch = batch.filter((uid) => uid > above);
    remaining -= newInBatch.length;
    cursor.lastUid = Math.max(cursor.lastUid, ...newInBatch);
    cursor.backlog = remaining + Object.keys(cursor.retries).length;
    await saveCursor(deps.db, s.accountId, cursor);
  }
  if (queue.length === 0) await saveCursor(deps.db, s.accountId, cursor);
  result.backlog = cursor.backlog;
  if (notices.length > 0) result.notice = notices.join(' ');
  return result;
}

/** "30 MB", or "2 KB" for a small test limit. */
const sizeText = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${Math.round(bytes / (1024 * 1024))} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;

/** For the account's status: which message, why, and where it is now (no sender, no subject). */
function skipNotice(uid: number, reason: 'failures' | 'too-large', s: RoundSettings): string {
  return reason === 'failures'
    ? `Die Nachricht mit der UID ${uid} ließ sich nach ${s.maxFailures} Versuchen nicht aufnehmen und wird übersprungen; sie liegt ungelesen im Postfach.`
    : `Die Nachricht mit der UID ${uid} ist größer als ${sizeText(s.maxMessageBytes)} und wird nicht aufgenommen; sie liegt ungelesen im Postfach.`;
}

/** Hands each message of the batch to the handler; returns the UIDs it took (stored, duplicate or held). */
async function handleBatch(
  client: ImapFlow,
  deps: RoundDeps,
  s: RoundSettings,
  cursor: ImapCursor,
  uidValidity: bigint,
  batch: number[],
  result: FetchRoundResult,
  notices: string[],
): Promise<number[]> {
  const sizes = new Map<number, number>();
  for (const m of await client.fetchAll(batch.join(','), { uid: true, size: true }, { uid: true })) sizes.set(m.uid, m.size ?? 0);
  const now = deps.clock.now();
  const wanted: number[] = [];
  for (const uid of batch) {
    const size = sizes.get(uid);
    if (size === undefined) {
      // Gone from the mailbox (deleted or moved by a person): nothing left to try.
      delete cursor.retries[String(uid)];
    } else if (size > s.maxMessageBytes) {
      delete cursor.retries[String(uid)];
      addSkipped(cursor, { uid, reason: 'too-large', at: now.toISOString() });
      result.skipped++;
      notices.push(skipNotice(uid, 'too-large', s));
      deps.log.warn({ accountId: s.accountId, uid, size }, 'mail too large: left in the mailbox, not taken in');
      await deps.onTooLarge?.({ accountId: s.accountId, uid, uidValidity, size });
    } else {
      wanted.push(uid);
    }
  }

  const handled: number[] = [];
  for (const group of byteGroups(wanted, sizes)) {
    const messages = await client.fetchAll(group.join(','), { uid: true, source: true }, { uid: true });
    messages.sort((a, b) => a.uid - b.uid);
    for (const message of messages) {
      if (!message.source) continue;
      const meta: MailMeta = { accountId: s.accountId, uid: message.uid, uidValidity, size: message.source.length };
      try {
        const outcome = await deps.handler(message.source, meta);
        result[outcome]++;
        handled.push(message.uid);
        delete cursor.retries[String(message.uid)];
      } catch (err) {
        result.failed++;
        const fate = recordFailure(cursor, message.uid, deps.clock.now(), s.maxFailures);
        if (fate === 'skipped') {
          result.skipped++;
          notices.push(skipNotice(message.uid, 'failures', s));
        }
        // UIDs and the error's class only: the error text may quote the mail (addresses, subject).
        deps.log.warn(
          { accountId: s.accountId, uid: message.uid, errorType: (err as Error)?.name ?? typeof err, fate },
          'mail handler failed',
        );
      }
    }
  }
  return handled;
}

/** Consecutive UIDs whose sizes add up to at most SOURCE_BYTES_PER_FETCH (a larger single message gets a fetch of its own). */
function byteGroups(uids: number[], sizes: Map<number, number>): number[][] {
  const groups: number[][] = [];
  let current: number[] = [];
  let bytes = 0;
  for (const uid of uids) {
    const size = sizes.get(uid) ?? 0;
    if (current.length > 0 && bytes + size > SOURCE_BYTES_PER_FETCH) {
      groups.push(current);
      current = [];
      bytes = 0;
    }
    current.push(uid);
    bytes += size;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

/**
 * imapflow answers a failed SEARCH, STORE or MOVE (a dropped connection too) with `false`, not an
 * error: taken as success, the cursor would move past messages that were never flagged or moved.
 */
function refusedIfFalse<T>(value: T | false | undefined, command: string): T {
  if (value === false || value === undefined) throw Object.assign(new Error(`IMAP ${command} failed`), { code: 'ECOMMAND' });
  return value;
}

const createdFolders = new WeakMap<ImapFlow, Set<string>>();

/** Marks the handled messages as read, or moves them into the account's folder (created on first use). */
async function afterIntake(client: ImapFlow, uids: number[], action: EmailSettings['afterIntake']): Promise<void> {
  if (uids.length === 0) return;
  const range = uids.join(',');
  if (action.action === 'seen') {
    refusedIfFalse(await client.messageFlagsAdd(range, ['\\Seen'], { uid: true }), 'STORE');
    return;
  }
  const known = createdFolders.get(client) ?? new Set<string>();
  createdFolders.set(client, known);
  if (!known.has(action.folder)) {
    await client.mailboxCreate(action.folder); // an existing folder answers { created: false }
    known.add(action.folder);
  }
  // Marked read first, so the moved copy does not show as new in a mail program.
  refusedIfFalse(await client.messageFlagsAdd(range, ['\\Seen'], { uid: true }), 'STORE');
  refusedIfFalse(await client.messageMove(range, action.folder, { uid: true }), 'MOVE');
}
