import { AtpAgent, type AtpSessionData, XRPCError } from '@atproto/api';
import { and, eq, sql } from 'drizzle-orm';
import type { Clock } from '../../../infra/clock.ts';
import type { Db } from '../../../infra/db.ts';
import { channelAccounts } from '../../../infra/schema/index.ts';
import type { SecretBox } from '../../../infra/secrets.ts';
import {
  type BlueskyCursor,
  type BlueskySecrets,
  type BlueskySettings,
  blueskyCursorSchema,
  blueskySecretsSchema,
  blueskySettingsSchema,
} from './settings.ts';

export interface BlueskyDeps {
  db: Db;
  secrets: SecretBox;
  clock: Clock;
}

export interface BlueskyAccount {
  id: number;
  name: string;
  enabled: boolean;
  settings: BlueskySettings;
  secrets: BlueskySecrets;
  cursor: BlueskyCursor;
  defaultTeamId: number | null;
  defaultType: (typeof channelAccounts.$inferSelect)['defaultType'];
  lastSuccessAt: Date | null;
  lastError: string | null;
  consecutiveFailures: number;
}

export const sealBlueskySecrets = (box: SecretBox, s: BlueskySecrets) => box.seal(JSON.stringify(s));

export async function loadBlueskyAccount(deps: Pick<BlueskyDeps, 'db' | 'secrets'>, id: number): Promise<BlueskyAccount | undefined> {
  const [row] = await deps.db
    .select()
    .from(channelAccounts)
    .where(and(eq(channelAccounts.id, id), eq(channelAccounts.kind, 'bluesky')));
  if (!row) return undefined;
  return {
    id: row.id,
    name: row.name,
    enabled: row.enabled,
    settings: blueskySettingsSchema.parse(row.settings),
    secrets: blueskySecretsSchema.parse(JSON.parse(deps.secrets.open(row.secrets))),
    cursor: blueskyCursorSchema.parse(row.cursor),
    defaultTeamId: row.defaultTeamId,
    defaultType: row.defaultType,
    lastSuccessAt: row.lastSuccessAt,
    lastError: row.lastError,
    consecutiveFailures: row.consecutiveFailures,
  };
}

/**
 * Runs `fn` with an agent signed in as the account: with the stored session when there is one
 * (the library refreshes it on ExpiredToken and retries the call), else a fresh login with the
 * app password. A session that changed on the way (created, refreshed, expired) is sealed back.
 */
export async function withAgent<T>(deps: BlueskyDeps, account: BlueskyAccount, fn: (agent: AtpAgent) => Promise<T>): Promise<T> {
  let latest: AtpSessionData | undefined | null = null;
  const agent = new AtpAgent({
    service: account.settings.service,
    persistSession: (_event, session) => {
      latest = session;
    },
  });
  const stored = account.secrets.session;
  try {
    if (stored) {
      agent.sessionManager.session = { ...stored, active: true };
    } else {
      await agent.login({ identifier: account.settings.handle, password: account.secrets.appPassword });
    }
    return await fn(agent);
  } finally {
    if (latest !== null) await saveSession(deps, account, latest ?? null);
  }
}

async function saveSession(deps: BlueskyDeps, account: BlueskyAccount, session: AtpSessionData | null): Promise<void> {
  const kept = session && { accessJwt: session.accessJwt, refreshJwt: session.refreshJwt, did: session.did, handle: session.handle };
  account.secrets = { ...account.secrets, session: kept };
  await deps.db
    .update(channelAccounts)
    .set({ secrets: sealBlueskySecrets(deps.secrets, account.secrets) })
    .where(eq(channelAccounts.id, account.id));
}

/** A refused login, a revoked app password: only a person can fix it, retrying does not help. */
export function isAuthProblem(err: unknown): boolean {
  return (
    err instanceof XRPCError &&
    (err.status === 401 || ['AuthenticationRequired', 'InvalidToken', 'ExpiredToken', 'AccountTakedown'].includes(err.error))
  );
}

const timeOf = (d: Date) => d.toLocaleTimeString('de-DE', { timeZone: 'Europe/Berlin', hour: '2-digit', minute: '2-digit' });

/**
 * Until when Bluesky asks us to wait after a 429: `ratelimit-reset` (Unix seconds, atproto PDS),
 * else `retry-after` (seconds), else one minute; never longer than an hour, whatever a header says.
 */
export function retryAfterOf(err: XRPCError, now: Date): Date {
  const headers = err.headers ?? {};
  const reset = Number(headers['ratelimit-reset']);
  const after = Number(headers['retry-after']);
  const at =
    Number.isFinite(reset) && reset > 0
      ? reset * 1000
      : Number.isFinite(after) && after > 0
        ? now.getTime() + after * 1000
        : now.getTime() + 60_000;
  return new Date(Math.min(Math.max(at, now.getTime() + 1000), now.getTime() + 3_600_000));
}

/** What the status page says about a failed contact, in German, without tokens or texts. */
export function problemText(err: unknown, now: Date): string {
  if (err instanceof XRPCError) {
    if (err.status === 429) return `Bluesky bremst (zu viele Anfragen): Nächster Versuch ab ${timeOf(retryAfterOf(err, now))} Uhr.`;
    if (isAuthProblem(err)) {
      return 'Bluesky hat die Anmeldung abgelehnt: Handle oder App-Passwort stimmen nicht (mehr). Bitte legen Sie in Bluesky ein neues App-Passwort an und tragen Sie es hier ein.';
    }
    if (err.status >= 500 || err.status === 1)
      return `Bluesky ist gerade nicht erreichbar (Status ${err.status}). Wir versuchen es später wieder; es geht nichts verloren.`;
    return `Bluesky hat die Anfrage abgelehnt (${err.error || err.status}).`;
  }
  return 'Bluesky ist gerade nicht erreichbar. Wir versuchen es später wieder; es geht nichts verloren.';
}

/** The account's status columns after a contact: success clears the error, a failure counts up. */
export async function recordContact(
  deps: Pick<BlueskyDeps, 'db' | 'clock'>,
  account: Pick<BlueskyAccount, 'id'>,
  outcome: { ok: true } | { ok: false; error: string; retryAfter?: Date },
): Promise<void> {
  const now = deps.clock.now();
  await deps.db
    .update(channelAccounts)
    .set(
      outcome.ok
        ? {
            lastSuccessAt: now,
            lastError: null,
            lastErrorAt: null,
            consecutiveFailures: 0,
            cursor: sql`${channelAccounts.cursor} || '{"retryAfter":null}'::jsonb`,
          }
        : {
            lastError: outcome.error,
            lastErrorAt: now,
            consecutiveFailures: sql`${channelAccounts.consecutiveFailures} + 1`,
            ...(outcome.retryAfter
              ? { cursor: sql`${channelAccounts.cursor} || ${JSON.stringify({ retryAfter: outcome.retryAfter.toISOString() })}::jsonb` }
              : {}),
          },
    )
    .where(eq(channelAccounts.id, account.id));
}
