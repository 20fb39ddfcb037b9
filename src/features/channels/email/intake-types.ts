/** The contract between the IMAP intake (fetching) and the pipeline that stores what it fetched. */

export type MailHandlerResult = 'stored' | 'duplicate' | 'held';

export interface MailMeta {
  accountId: number;
  uid: number;
  uidValidity: bigint;
  size: number;
}

/**
 * Called once per fetched message with its raw RFC 822 bytes. It resolves only after its data is
 * COMMITTED, and is idempotent on Message-ID / raw hash: the intake may hand the same message in
 * again after a crash and relies on 'duplicate' then (ADR 0008). If it throws, the message is not
 * flagged and is tried again later (with back-off); other messages keep flowing.
 */
export type MailHandler = (raw: Buffer, meta: MailMeta) => Promise<MailHandlerResult>;

/**
 * A message above `maxMessageBytes` is never downloaded and never given to the handler. This hook
 * hears of it (e.g. to tell staff), the message stays unread in the mailbox for a person to open
 * in a mail program, the intake moves on, and the admin page lists it as skipped.
 */
export type TooLargeHook = (meta: MailMeta) => Promise<void>;

export interface FetchRoundResult {
  accountId: number;
  /** False when the round could not finish (login refused, server gone …); `error` says why in German. */
  ok: boolean;
  error?: string;
  stored: number;
  duplicate: number;
  held: number;
  /** Handler failures this round (each retried later, or skipped after the last allowed try). */
  failed: number;
  /** Messages given up this round (too many failures or too large). */
  skipped: number;
  /** Messages on the server not yet taken in when the round ended. */
  backlog: number;
  /** In German, for the account's status: messages given up this round, by UID. */
  notice?: string;
  /** The mailbox had a new UIDVALIDITY: the cursor started again from the beginning. */
  uidValidityReset: boolean;
}

export interface MailIntake {
  /** Connects every enabled e-mail account and keeps fetching until stop(). */
  start(): Promise<void>;
  /** Closes every connection and timer; a round in progress finishes its current message first. */
  stop(): Promise<void>;
  /**
   * One round for one account now, tried messages included regardless of their back-off. Uses the
   * running connection when there is one, else a connection of its own. Throws AppError NotFound /
   * Conflict (disabled account).
   */
  fetchNow(accountId: number): Promise<FetchRoundResult>;
}

export interface MailIntakeOptions {
  /** Listen with IMAP IDLE where the server offers it (default true); else only poll. */
  idle?: boolean;
  /** How often to look for new mail besides IDLE (default 60 s). */
  pollMs?: number;
  /** Larger messages are not downloaded (default 30 MB), see TooLargeHook. */
  maxMessageBytes?: number;
  /** Failures of the handler on one message before it is skipped (default 5). */
  maxFailures?: number;
  /** UIDs per fetch (default 50). */
  batchSize?: number;
  /** First and longest pause before reconnecting after a drop (default 1 s … 5 min). */
  reconnectMinMs?: number;
  reconnectMaxMs?: number;
  /** Connection and greeting timeout (default 30 s). */
  timeoutMs?: number;
}
