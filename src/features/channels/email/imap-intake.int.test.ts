import { eq } from 'drizzle-orm';
import type { ImapFlow } from 'imapflow';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { createTestContext, describeDb, eventually, type TestContext } from '../../../../test/helpers/context.ts';
import { type Dovecot, dovecotAvailable, freePort, startDovecot } from '../../../../test/helpers/dovecot.ts';
import { seedBasics } from '../../../../test/helpers/fixtures.ts';
import { appendMails, boxState, mailboxClient } from '../../../../test/helpers/mailbox.ts';
import { startTcpProxy, type TcpProxy } from '../../../../test/helpers/tcp-proxy.ts';
import { fixedClock } from '../../../infra/clock.ts';
import { channelAccounts } from '../../../infra/schema/index.ts';
import { createEmailAccount, setAccountEnabled } from '../accounts/service.ts';
import { createMailIntake } from './imap-intake.ts';
import type { MailHandler, MailHandlerResult, MailIntake, MailIntakeOptions } from './intake-types.ts';

const hasDovecot = dovecotAvailable();

/** Stands in for the pipeline: commits nothing, but is idempotent on Message-ID as the real one is. */
function recordingHandler() {
  const stored = new Map<string, number>();
  const calls: { uid: number; messageId: string }[] = [];
  let failFor: (messageId: string) => boolean = () => false;
  const handler: MailHandler = async (raw, meta): Promise<MailHandlerResult> => {
    const messageId = /^Message-ID: (.*)$/im.exec(raw.toString())?.[1]?.trim() ?? '';
    calls.push({ uid: meta.uid, messageId });
    if (failFor(messageId)) throw new Error(`kaputt bei ${messageId}`);
    if (stored.has(messageId)) return 'duplicate';
    stored.set(messageId, meta.uid);
    return 'stored';
  };
  return {
    handler,
    stored,
    calls,
    failWhen(f: (messageId: string) => boolean) {
      failFor = f;
    },
  };
}

describeDb('IMAP intake against a real Dovecot', () => {
  let ctx: TestContext;
  let imap: Dovecot;
  let box: ImapFlow;
  const clock = fixedClock(new Date('2026-12-01T09:00:00Z'));
  const logLines: string[] = [];
  const intakes: MailIntake[] = [];
  let accountNo = 0;

  beforeAll(async () => {
    if (!hasDovecot) return;
    [imap, ctx] = await Promise.all([startDovecot({ password: 'imap-Kennwort-3' }), createTestContext({ logLines, clock })]);
    await seedBasics(ctx.db);
    box = await mailboxClient(imap);
  }, 30_000);
  afterEach(async () => {
    await Promise.all(intakes.splice(0).map((i) => i.stop()));
  });
  afterAll(async () => {
    await box?.logout().catch(() => {});
    await Promise.all([imap?.stop(), ctx?.close()]);
  });

  const service = () => ({ db: ctx.db, log: ctx.log, secrets: ctx.secrets, clock: ctx.clock });
  /** Each test its own folder (and account), so their UIDs do not mix. */
  async function account(over: { mailbox?: string; moveTo?: string; port?: number; password?: string } = {}) {
    accountNo++;
    const mailbox = over.mailbox ?? `Eingang${accountNo}`;
    await box.mailboxCreate(mailbox);
    const row = await createEmailAccount(service(), null, {
      name: `Postfach ${accountNo}`,
      from: 'buergerservice@musterstadt.example',
      imapHost: '127.0.0.1',
      imapPort: over.port ?? imap.port,
      imapSecurity: 'plain',
      imapUser: imap.user,
      imapPassword: over.password ?? imap.password,
      mailbox,
      moveTo: over.moveTo ?? '',
      smtpHost: '127.0.0.1',
      smtpPort: 25,
      smtpSecurity: 'plain',
    });
    return { id: row.id, mailbox };
  }
  const intake = (handler: MailHandler, options: MailIntakeOptions = {}) => {
    const i = createMailIntake({
      db: ctx.db,
      log: ctx.log,
      clock: ctx.clock,
      secrets: ctx.secrets,
      handler,
      options: { reconnectMinMs: 200, reconnectMaxMs: 1000, timeoutMs: 5000, ...options },
    });
    intakes.push(i);
    return i;
  };
  const statusOf = async (id: number) => (await ctx.db.select().from(channelAccounts).where(eq(channelAccounts.id, id)))[0];
  const cursorOf = async (id: number) => ((await statusOf(id))?.cursor as { imap: Record<string, unknown> } | undefined)?.imap ?? {};

  it.skipIf(!hasDovecot)('takes every message in exactly once across two rounds and marks it read', async () => {
    const { id, mailbox } = await account();
    await appendMails(box, mailbox, 1, 3, 'a');
    const h = recordingHandler();
    const i = intake(h.handler);
    expect(await i.fetchNow(id)).toMatchObject({ ok: true, stored: 3, duplicate: 0, backlog: 0 });
    await appendMails(box, mailbox, 4, 5, 'a');
    expect(await i.fetchNow(id)).toMatchObject({ ok: true, stored: 2, duplicate: 0 });
    expect(h.calls.map((c) => c.uid)).toEqual([1, 2, 3, 4, 5]);
    expect(await boxState(box, mailbox)).toEqual({ uids: [1, 2, 3, 4, 5], seen: [1, 2, 3, 4, 5] });
    const status = await statusOf(id);
    expect(status).toMatchObject({ lastError: null, consecutiveFailures: 0 });
    expect(status?.lastSuccessAt).toBeInstanceOf(Date);
    expect(await cursorOf(id)).toMatchObject({ lastUid: 5, backlog: 0 });
  });

  it.skipIf(!hasDovecot)('resumes from the stored cursor in a new intake (a restart) and reads nothing twice', async () => {
    const { id, mailbox } = await account();
    await appendMails(box, mailbox, 1, 2, 'b');
    const h = recordingHandler();
    await intake(h.handler).fetchNow(id);
    await intakes.pop()?.stop();
    await appendMails(box, mailbox, 3, 3, 'b');
    // The same mails marked unread again: the cursor, not the flag, says what was taken in.
    await box.mailboxOpen(mailbox);
    await box.messageFlagsRemove('1:*', ['\\Seen']);
    await box.mailboxClose();
    const again = recordingHandler();
    expect(await intake(again.handler).fetchNow(id)).toMatchObject({ ok: true, stored: 1 });
    expect(again.calls.map((c) => c.uid)).toEqual([3]);
  });

  it.skipIf(!hasDovecot)('leaves a message the handler fails on unread, retries it and keeps the others flowing', async () => {
    const { id, mailbox } = await account();
    await appendMails(box, mailbox, 1, 3, 'c');
    const h = recordingHandler();
    h.failWhen((mid) => mid.includes('anliegen-2-'));
    const i = intake(h.handler);
    expect(await i.fetchNow(id)).toMatchObject({ ok: true, stored: 2, failed: 1, backlog: 1 });
    expect((await boxState(box, mailbox)).seen).toEqual([1, 3]);
    expect(await cursorOf(id)).toMatchObject({ lastUid: 3, retries: { '2': { failures: 1 } } });
    h.failWhen(() => false);
    expect(await i.fetchNow(id)).toMatchObject({ ok: true, stored: 1, failed: 0, backlog: 0 });
    expect((await boxState(box, mailbox)).seen).toEqual([1, 2, 3]);
    expect(h.calls.map((c) => c.uid)).toEqual([1, 2, 3, 2]);
    // Without personal data: no address, no subject, no error text of the handler.
    const log = logLines.join('\n');
    expect(log).toContain('mail handler failed');
    expect(log).not.toMatch(/erika|Anliegen 2|kaputt bei/);
  });

  it.skipIf(!hasDovecot)('waits for a failed message by back-off on scheduled rounds, and skips it after five failures', async () => {
    const { id, mailbox } = await account();
    await appendMails(box, mailbox, 1, 2, 'd');
    const h = recordingHandler();
    h.failWhen((mid) => mid.includes('anliegen-1-'));
    const i = intake(h.handler, { idle: false, pollMs: 200 });
    await i.start(); // the first round: UID 1 fails once
    expect(h.calls.map((c) => c.uid)).toEqual([1, 2]);
    await new Promise((r) => setTimeout(r, 700)); // polls come and go, but its minute has not passed
    expect(h.calls.filter((c) => c.uid === 1)).toHaveLength(1);
    clock.advance(61_000);
    await eventually(async () => h.calls.filter((c) => c.uid === 1).length === 2, 3000);
    for (let n = 3; n <= 4; n++) await i.fetchNow(id);
    expect(await cursorOf(id)).toMatchObject({ retries: { '1': { failures: 4 } } });
    const last = await i.fetchNow(id);
    expect(last).toMatchObject({ ok: true, failed: 1, skipped: 1, backlog: 0 });
    const status = await statusOf(id);
    expect(status?.lastError).toBe(
      'Die Nachricht mit der UID 1 ließ sich nach 5 Versuchen nicht aufnehmen und wird übersprungen; sie liegt ungelesen im Postfach.',
    );
    expect(status?.consecutiveFailures).toBe(0);
    expect(await cursorOf(id)).toMatchObject({ retries: {}, skipped: [{ uid: 1, reason: 'failures' }] });
    expect((await boxState(box, mailbox)).seen).toEqual([2]);
    await i.fetchNow(id);
    expect(h.calls.filter((c) => c.uid === 1)).toHaveLength(5);
  });

  it.skipIf(!hasDovecot)('never downloads a message above the size limit: the hook hears of it, the mail stays unread', async () => {
    const { id, mailbox } = await account();
    await appendMails(box, mailbox, 1, 1, 'l');
    await appendMails(box, mailbox, 2, 2, `l ${'x'.repeat(4000)}`);
    const h = recordingHandler();
    const tooLarge: number[] = [];
    const i = createMailIntake({
      db: ctx.db,
      log: ctx.log,
      clock: ctx.clock,
      secrets: ctx.secrets,
      handler: h.handler,
      onTooLarge: async (meta) => void tooLarge.push(meta.uid),
      options: { maxMessageBytes: 2000 },
    });
    intakes.push(i);
    expect(await i.fetchNow(id)).toMatchObject({ ok: true, stored: 1, skipped: 1, backlog: 0 });
    expect(h.calls.map((c) => c.uid)).toEqual([1]);
    expect(tooLarge).toEqual([2]);
    expect((await boxState(box, mailbox)).seen).toEqual([1]);
    expect((await statusOf(id))?.lastError).toBe(
      'Die Nachricht mit der UID 2 ist größer als 2 KB und wird nicht aufgenommen; sie liegt ungelesen im Postfach.',
    );
  });

  it.skipIf(!hasDovecot)('moves taken-in mail into the configured folder, creating it first', async () => {
    const { id, mailbox } = await account({ moveTo: 'Aufgenommen-M' });
    await appendMails(box, mailbox, 1, 2, 'e');
    const h = recordingHandler();
    expect(await intake(h.handler).fetchNow(id)).toMatchObject({ ok: true, stored: 2 });
    expect((await boxState(box, mailbox)).uids).toEqual([]);
    expect((await boxState(box, 'Aufgenommen-M')).uids).toHaveLength(2);
    await appendMails(box, mailbox, 3, 3, 'e');
    expect(await intakes[0]?.fetchNow(id)).toMatchObject({ ok: true, stored: 1 });
    expect((await boxState(box, 'Aufgenommen-M')).uids).toHaveLength(3);
  });

  it.skipIf(!hasDovecot)('starts again from the beginning when UIDVALIDITY changes (the folder was recreated)', async () => {
    const { id, mailbox } = await account();
    await appendMails(box, mailbox, 1, 2, 'f');
    const h = recordingHandler();
    const i = intake(h.handler);
    await i.fetchNow(id);
    const before = await cursorOf(id);
    await box.mailboxDelete(mailbox);
    await box.mailboxCreate(mailbox);
    await appendMails(box, mailbox, 1, 3, 'f');
    const result = await i.fetchNow(id);
    expect(result).toMatchObject({ ok: true, uidValidityReset: true, stored: 1, duplicate: 2 });
    expect((await cursorOf(id)).uidValidity).not.toBe(before.uidValidity);
    expect(logLines.join('\n')).toContain('uidvalidity changed');
  });

  it.skipIf(!hasDovecot)('names a refused login and a closed port in German and counts the failures', async () => {
    const wrong = await account({ password: 'falsch' });
    const h = recordingHandler();
    const i = intake(h.handler);
    expect(await i.fetchNow(wrong.id)).toMatchObject({
      ok: false,
      error: 'IMAP: Anmeldung abgelehnt (Benutzername oder Passwort falsch).',
    });
    await i.fetchNow(wrong.id);
    expect(await statusOf(wrong.id)).toMatchObject({
      lastError: 'IMAP: Anmeldung abgelehnt (Benutzername oder Passwort falsch).',
      consecutiveFailures: 2,
    });
    const closed = await freePort();
    const gone = await account({ port: closed });
    expect((await i.fetchNow(gone.id)).error).toBe(`IMAP: Server nicht erreichbar (127.0.0.1:${closed}).`);
    expect(logLines.join('\n')).not.toContain('imap-Kennwort-3');
  });

  it.skipIf(!hasDovecot)('refuses to fetch a disabled account with a conflict', async () => {
    const { id } = await account();
    await setAccountEnabled(service(), null, id, false);
    await expect(intake(recordingHandler().handler).fetchNow(id)).rejects.toMatchObject({ code: 'Conflict' });
  });

  it.skipIf(!hasDovecot)('with IDLE takes in a message appended while connected within seconds, without a poll', async () => {
    const { id, mailbox } = await account();
    const h = recordingHandler();
    const i = intake(h.handler, { idle: true, pollMs: 600_000 });
    await i.start();
    await new Promise((r) => setTimeout(r, 2500)); // the connection has gone into IDLE
    const appendedAt = Date.now();
    await appendMails(box, mailbox, 1, 1, 'g');
    await eventually(async () => h.stored.size === 1, 8000);
    expect(Date.now() - appendedAt).toBeLessThan(6000);
    expect((await statusOf(id))?.lastError).toBeNull();
  });

  it.skipIf(!hasDovecot)('reconnects after the connection drops in the middle of a fetch and loses nothing', async () => {
    let proxy: TcpProxy | undefined;
    try {
      proxy = await startTcpProxy(imap.port);
      const { id, mailbox } = await account({ port: proxy.port });
      await appendMails(box, mailbox, 1, 6, 'h');
      const h = recordingHandler();
      let cut = false;
      const cutting: MailHandler = async (raw, meta) => {
        if (meta.uid === 4 && !cut) {
          cut = true;
          proxy?.cutAll();
        }
        return h.handler(raw, meta);
      };
      // A reconnect slow enough for the status between drop and recovery to be read.
      const i = intake(cutting, { idle: true, pollMs: 600_000, batchSize: 2, reconnectMinMs: 1500, reconnectMaxMs: 3000 });
      await i.start();
      const afterDrop = await statusOf(id);
      expect(afterDrop?.lastError).toMatch(/^IMAP: Verbindung während des Abrufs abgebrochen/);
      expect(afterDrop?.consecutiveFailures).toBe(1);
      // Batch 1–2 was flagged and saved; the reconnect's round hands 3–4 in again (not yet flagged), the handler says 'duplicate'.
      await eventually(async () => (await boxState(box, mailbox)).seen.length === 6, 10_000);
      expect([...h.stored.values()].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
      await eventually(async () => (await statusOf(id))?.consecutiveFailures === 0, 5000);
      expect((await statusOf(id))?.lastError).toBeNull();
    } finally {
      await intakes.pop()?.stop();
      await proxy?.close();
    }
  });

  it.skipIf(!hasDovecot)('stops every connection and timer (no open handles after stop)', async () => {
    await account();
    const i = intake(recordingHandler().handler, { idle: true, pollMs: 100 });
    await i.start();
    await i.stop();
    const before = process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap' || r === 'Timeout').length;
    await new Promise((r) => setTimeout(r, 300));
    const after = process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap' || r === 'Timeout').length;
    expect(after).toBeLessThanOrEqual(before);
  });

  it.skipIf(!hasDovecot)('takes in 200 messages in batches of 50', async () => {
    const { id, mailbox } = await account();
    for (let n = 1; n <= 200; n += 20) await appendMails(box, mailbox, n, n + 19, 'k');
    const h = recordingHandler();
    const batches: number[] = [];
    let lastUidSeen = 0;
    const watching: MailHandler = async (raw, meta) => {
      const stored = (await cursorOf(id)).lastUid as number;
      if (stored !== lastUidSeen) batches.push(stored);
      lastUidSeen = stored;
      return h.handler(raw, meta);
    };
    const started = performance.now();
    const result = await intake(watching).fetchNow(id);
    const seconds = (performance.now() - started) / 1000;
    expect(result).toMatchObject({ ok: true, stored: 200, backlog: 0 });
    // The cursor moved after each batch of 50, while the next one was being handled.
    expect(batches).toEqual([50, 100, 150]);
    expect(h.stored.size).toBe(200);
    ctx.log.info({ seconds, perSecond: Math.round(200 / seconds) }, 'intake of 200 mails');
  });
});
