import type { ImapFlow } from 'imapflow';
import type { Clock } from '../../../infra/clock.ts';
import type { Db } from '../../../infra/db.ts';
import type { Logger } from '../../../infra/log.ts';
import type { SecretBox } from '../../../infra/secrets.ts';
import { reasonOf } from '../accounts/connection-test.ts';
import type { EmailSettings } from '../accounts/email-settings.ts';
import { findAccount, sealedSecretsOf } from '../accounts/queries.ts';
import { openSecrets } from '../accounts/service.ts';
import { createImapClient } from './imap-client.ts';
import { fetchRound } from './imap-fetch.ts';
import { recordRoundFailure, recordRoundSuccess } from './intake-status.ts';
import type { FetchRoundResult, MailHandler, TooLargeHook } from './intake-types.ts';

export interface WatcherContext {
  db: Db;
  log: Logger;
  clock: Clock;
  secrets: SecretBox;
  handler: MailHandler;
  onTooLarge?: TooLargeHook | undefined;
  options: {
    idle: boolean;
    pollMs: number;
    maxMessageBytes: number;
    maxFailures: number;
    batchSize: number;
    reconnectMinMs: number;
    reconnectMaxMs: number;
    timeoutMs: number;
  };
}

interface Connection {
  client: ImapFlow;
  settings: EmailSettings;
}

/** The account is gone or disabled: nothing to connect, nothing to report. */
class AccountUnavailable extends Error {}
/** The server refused or could not be reached; `text` is the German status line. */
class ConnectFailed extends Error {
  constructor(readonly text: string) {
    super(text);
  }
}

const failed = (accountId: number, error: string): FetchRoundResult => ({
  accountId,
  ok: false,
  error,
  stored: 0,
  duplicate: 0,
  held: 0,
  failed: 0,
  skipped: 0,
  backlog: 0,
  uidValidityReset: false,
});

async function openConnection(ctx: WatcherContext, accountId: number, autoIdle: boolean): Promise<Connection> {
  const account = await findAccount(ctx.db, accountId);
  const sealed = await sealedSecretsOf(ctx.db, accountId);
  if (!account || sealed === undefined || !account.enabled || account.kind !== 'email') throw new AccountUnavailable();
  const { imap } = account.settings;
  let password: string;
  try {
    password = openSecrets(ctx.secrets, sealed).imapPassword;
  } catch (err) {
    throw new ConnectFailed(
      err instanceof Error && /SECRET_KEY/.test(err.message) ? err.message : 'Die gespeicherten Zugangsdaten lassen sich nicht öffnen.',
    );
  }
  const client = createImapClient(account.settings, password, { timeoutMs: ctx.options.timeoutMs, autoIdle });
  // Only class and code: the library's text may quote the server, which may quote the user name.
  client.on('error', (err: Error & { code?: string }) =>
    ctx.log.warn({ accountId, errorType: err.name, code: err.code }, 'imap connection error'),
  );
  try {
    await client.connect();
  } catch (err) {
    client.close();
    throw new ConnectFailed(`IMAP: ${reasonOf(err, imap.host, imap.port, ctx.options.timeoutMs)}.`);
  }
  try {
    await client.mailboxOpen(imap.mailbox);
  } catch {
    await closeQuietly(client);
    throw new ConnectFailed(`IMAP: Anmeldung erfolgreich, aber der Ordner „${imap.mailbox}“ lässt sich nicht öffnen.`);
  }
  return { client, settings: account.settings };
}

async function closeQuietly(client: ImapFlow): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, 2000);
  });
  await Promise.race([client.logout().catch(() => {}), deadline]).finally(() => clearTimeout(timer));
  client.close();
}

/** One round on an open connection, its outcome recorded on the account's status. Never throws. */
async function roundOn(ctx: WatcherContext, accountId: number, conn: Connection, ignoreBackoff: boolean, shouldStop?: () => boolean) {
  const { imap } = conn.settings;
  try {
    const result = await fetchRound(conn.client, ctx, {
      accountId,
      afterIntake: conn.settings.afterIntake,
      maxMessageBytes: ctx.options.maxMessageBytes,
      maxFailures: ctx.options.maxFailures,
      batchSize: ctx.options.batchSize,
      ignoreBackoff,
      shouldStop,
    });
    await recordRoundSuccess(ctx.db, ctx.clock, accountId, result.notice);
    return result;
  } catch (err) {
    const dropped = !conn.client.usable;
    const refused = (err as { code?: string })?.code === 'ECOMMAND';
    const text = dropped
      ? `IMAP: Verbindung während des Abrufs abgebrochen (${reasonOf(err, imap.host, imap.port, ctx.options.timeoutMs)}). Der Abruf wird automatisch wiederholt; es geht keine Nachricht verloren.`
      : refused
        ? `IMAP: Der Server hat einen Befehl des Abrufs abgelehnt (${(err as Error).message.replace(/^IMAP /, '')}). Bitte prüfen Sie die Rechte am Ordner „${conn.settings.afterIntake.action === 'move' ? conn.settings.afterIntake.folder : imap.mailbox}“; der Abruf wird wiederholt.`
        : 'IMAP: Der Abruf ist an einem internen Fehler gescheitert und wird wiederholt. Einzelheiten stehen im Protokoll des Servers.';
    ctx.log.warn(
      { accountId, dropped, err: dropped || refused ? undefined : err, code: (err as { code?: string })?.code },
      'imap round failed',
    );
    await recordRoundFailure(ctx.db, ctx.clock, accountId, text).catch(() => {});
    return failed(accountId, text);
  }
}

/** "Jetzt abrufen" without a running connection: connect, one round, log out. */
export async function oneOffRound(ctx: WatcherContext, accountId: number): Promise<FetchRoundResult> {
  let conn: Connection;
  try {
    conn = await openConnection(ctx, accountId, false);
  } catch (err) {
    if (!(err instanceof ConnectFailed)) throw err;
    await recordRoundFailure(ctx.db, ctx.clock, accountId, err.text);
    return failed(accountId, err.text);
  }
  try {
    return await roundOn(ctx, accountId, conn, true);
  } finally {
    await closeQuietly(conn.client);
  }
}

/**
 * Keeps one account's mailbox connected: a round at connect, on every new message (IDLE's EXISTS)
 * and every `pollMs`; after a drop or a refused login it reconnects with exponential back-off and
 * jitter. Rounds never overlap: each waits for the one before.
 */
export class AccountWatcher {
  private conn: Connection | null = null;
  private stopped = false;
  private rounds: Promise<unknown> = Promise.resolve();
  private queued: Promise<FetchRoundResult | null> | null = null;
  private pollTimer: NodeJS.Timeout | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private attempts = 0;
  /** The connection attempt under way, so stop() can wait for its socket too. */
  private connecting: Promise<void> = Promise.resolve();

  constructor(
    private readonly ctx: WatcherContext,
    readonly accountId: number,
  ) {}

  get connected(): boolean {
    return Boolean(this.conn?.client.usable);
  }

  /** Resolves after the first connection attempt and its round (or its failure). */
  start(): Promise<void> {
    this.connecting = this.connect();
    return this.connecting;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    clearInterval(this.pollTimer);
    await this.connecting;
    await this.rounds;
    const conn = this.conn;
    this.conn = null;
    if (conn) await closeQuietly(conn.client);
  }

  /** A round now; a plain request joins one that is already waiting. */
  round(ignoreBackoff: boolean): Promise<FetchRoundResult | null> {
    if (!ignoreBackoff && this.queued) return this.queued;
    const next = this.rounds.then(() => {
      if (this.queued === next) this.queued = null;
      return this.roundNow(ignoreBackoff);
    });
    if (!ignoreBackoff) this.queued = next;
    this.rounds = next.catch(() => {});
    return next;
  }

  /** After a successful "Jetzt abrufen" while waiting to reconnect: try at once. */
  reconnectNow(): void {
    if (this.stopped || this.conn || !this.reconnectTimer) return;
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    this.attempts = 0;
    this.connecting = this.connect();
  }

  private async roundNow(ignoreBackoff: boolean): Promise<FetchRoundResult | null> {
    const conn = this.conn;
    if (!conn || this.stopped) return null;
    const result = await roundOn(this.ctx, this.accountId, conn, ignoreBackoff, () => this.stopped);
    if (result.ok) {
      this.attempts = 0;
    } else if (this.conn === conn) {
      this.attempts++;
      conn.client.close(); // its 'close' schedules the reconnect
    }
    return result;
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    let conn: Connection;
    try {
      conn = await openConnection(this.ctx, this.accountId, this.ctx.options.idle);
    } catch (err) {
      if (err instanceof AccountUnavailable) return; // the account list sync stops this watcher
      const text = err instanceof ConnectFailed ? err.text : 'IMAP: Die Verbindung ließ sich nicht aufbauen.';
      if (!(err instanceof ConnectFailed)) this.ctx.log.warn({ accountId: this.accountId, err }, 'imap connect failed');
      await recordRoundFailure(this.ctx.db, this.ctx.clock, this.accountId, text).catch(() => {});
      this.attempts++;
      this.scheduleReconnect();
      return;
    }
    if (this.stopped) return closeQuietly(conn.client);
    this.conn = conn;
    const { client } = conn;
    client.on('exists', () => void this.round(false));
    client.on('close', () => {
      if (this.conn !== conn) return;
      this.conn = null;
      clearInterval(this.pollTimer);
      if (!this.stopped) this.scheduleReconnect();
    });
    this.pollTimer = setInterval(() => void this.round(false), this.ctx.options.pollMs);
    this.ctx.log.info({ accountId: this.accountId, idle: this.ctx.options.idle && client.capabilities.has('IDLE') }, 'imap connected');
    await this.round(false);
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.reconnectTimer) return;
    const { reconnectMinMs, reconnectMaxMs } = this.ctx.options;
    const ceiling = Math.min(reconnectMaxMs, reconnectMinMs * 2 ** Math.max(0, this.attempts - 1));
    // Full jitter in the upper half: many town mailboxes on one server do not all knock at once.
    const delay = Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
    this.ctx.log.info({ accountId: this.accountId, delayMs: delay, attempts: this.attempts }, 'imap reconnect scheduled');
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      this.connecting = this.connect();
    }, delay);
  }
}
