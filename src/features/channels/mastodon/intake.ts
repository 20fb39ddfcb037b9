import { and, desc, eq } from 'drizzle-orm';
import type { Tx } from '../../../infra/db.ts';
import { caseReactions, messages, posts, postTargets } from '../../../infra/schema/index.ts';
import type { SecretBox } from '../../../infra/secrets.ts';
import { clipDescription, type Inbound } from '../../intake/inbound.ts';
import { type IntakeDeps, receive } from '../../intake/service.ts';
import { clientOf, findMastodonAccount, type MastodonAccountRow, recordFailure, recordSuccess, saveCursor } from './accounts.ts';
import { compareIds, type MastodonAccount, MastodonError, type MastodonStatus } from './api.ts';
import type { MastodonCursor } from './settings.ts';
import { addressOf, isOnlyThanks, statusText, visibilityOf } from './status-text.ts';

export interface MastodonIntakeDeps extends IntakeDeps {
  secrets: SecretBox;
}

/** What one poll reads: mentions (DMs are mentions with visibility direct), edits, likes and boosts. */
const TYPES = ['mention', 'update', 'favourite', 'reblog'] as const;
const PAGE = 40;
/** Pages per poll; a backlog continues on the next tick, where this one stopped. */
const MAX_PAGES = 10;
/** After a rejected token, ask again only after this long (the admin is told on the status page meanwhile). */
const UNAUTHORIZED_PAUSE_MS = 15 * 60_000;

interface Item {
  notificationId: string;
  type: string;
  accounts: MastodonAccount[];
  status: MastodonStatus | null;
}

export type PollOutcome = 'disabled' | 'paused' | 'done' | 'failed';

/**
 * One poll of the town's Mastodon account: accepts pending notification requests (so a DM from an
 * account the town does not follow still reaches the inbox), then reads the notifications after
 * the cursor, oldest first, and hands each to the pipeline. The cursor moves after each item is
 * stored, so an outage or a crash loses nothing and a repeat is idempotent on the status id.
 * Never throws on the server's errors: they are recorded on the account's status (German), a
 * rate limit or a rejected token pauses polling instead of hammering the server.
 */
export async function pollMastodonAccount(deps: MastodonIntakeDeps, accountId: number): Promise<PollOutcome> {
  const account = await findMastodonAccount(deps.db, accountId);
  if (!account?.enabled) return 'disabled';
  const now = deps.clock.now();
  const cursor = { ...account.cursor };
  if (cursor.pausedUntil && new Date(cursor.pausedUntil) > now) return 'paused';
  cursor.pausedUntil = null;
  const client = await clientOf(deps.db, deps.secrets, accountId, () => deps.clock.now());
  let taken = 0;
  try {
    for (const request of await client.notificationRequests()) await client.acceptNotificationRequest(request.id);
    for (let page = 0; page < MAX_PAGES; page++) {
      const items = await fetchPage(client, cursor);
      if (items.length === 0) break;
      for (const item of items) {
        await takeIn(deps, account, item);
        cursor.minId = item.notificationId;
        await saveCursor(deps.db, accountId, cursor);
        taken++;
      }
    }
    await saveCursor(deps.db, accountId, cursor);
    await recordSuccess(deps.db, accountId, deps.clock.now());
    deps.log.info({ accountId, taken }, 'mastodon poll done');
    return 'done';
  } catch (err) {
    if (!(err instanceof MastodonError)) {
      deps.log.error({ accountId, err }, 'mastodon poll failed');
      await recordFailure(
        deps.db,
        accountId,
        deps.clock.now(),
        'Der Abruf ist unerwartet fehlgeschlagen; er wird beim nächsten Mal wiederholt.',
      );
      return 'failed';
    }
    const pause =
      err.kind === 'rate_limited'
        ? err.retryAt
        : err.kind === 'unauthorized'
          ? new Date(deps.clock.now().getTime() + UNAUTHORIZED_PAUSE_MS)
          : null;
    await saveCursor(deps.db, accountId, { ...cursor, pausedUntil: pause?.toISOString() ?? null });
    await recordFailure(deps.db, accountId, deps.clock.now(), failureText(err));
    deps.log.warn({ accountId, taken, reason: err.kind }, 'mastodon poll failed');
    return 'failed';
  }
}

function failureText(err: MastodonError): string {
  const time = (d: Date | null) => d?.toLocaleTimeString('de-DE', { timeZone: 'Europe/Berlin', hour: '2-digit', minute: '2-digit' });
  switch (err.kind) {
    case 'unauthorized':
      return 'Der Zugangsschlüssel ist abgelaufen oder wurde zurückgezogen. Bitte tragen Sie unter „Kanäle“ einen neuen ein; bis dahin ruhen die Abrufe.';
    case 'rate_limited':
      return `Der Mastodon-Server bremst die Abrufe (zu viele Anfragen); es geht ab ${time(err.retryAt)} Uhr weiter.`;
    default:
      return `${err.message} Der Abruf wird beim nächsten Mal wiederholt; es geht nichts verloren.`;
  }
}

type Client = Awaited<ReturnType<typeof clientOf>>;

/** The page right after the cursor, oldest first: grouped notifications (v2) where the server has them, else v1. */
async function fetchPage(client: Client, cursor: MastodonCursor): Promise<Item[]> {
  const query = { minId: cursor.minId, types: TYPES, limit: PAGE };
  let items: Item[];
  if (cursor.grouped) {
    try {
      const { body } = await client.groupedNotifications(query);
      const accounts = new Map(body.accounts.map((a) => [a.id, a]));
      const statuses = new Map(body.statuses.map((s) => [s.id, s]));
      items = body.notification_groups.map((g) => ({
        notificationId: g.page_max_id ?? g.most_recent_notification_id,
        type: g.type,
        accounts: g.sample_account_ids.map((id) => accounts.get(id)).filter((a): a is MastodonAccount => !!a),
        status: (g.status_id && statuses.get(g.status_id)) || null,
      }));
    } catch (err) {
      if (!(err instanceof MastodonError && err.kind === 'not_found')) throw err;
      cursor.grouped = false;
      return fetchPage(client, cursor);
    }
  } else {
    const { body } = await client.notifications(query);
    items = body.map((n) => ({ notificationId: n.id, type: n.type, accounts: [n.account], status: n.status }));
  }
  return items.sort((a, b) => compareIds(a.notificationId, b.notificationId));
}

async function takeIn(deps: MastodonIntakeDeps, account: MastodonAccountRow, item: Item): Promise<void> {
  const status = item.status;
  if (!status) return;
  if (item.type === 'favourite' || item.type === 'reblog') return countReactions(deps, account, item.type, status.id, item.accounts);
  if (item.type !== 'mention' && item.type !== 'update') return;
  // The town's own statuses (an edit of our post) are not citizens' messages.
  if (addressOf(status.account.acct, account.settings.instanceUrl) === addressOf(account.settings.handle, account.settings.instanceUrl))
    return;
  const inbound = await inboundOf(deps, account, status, item.type === 'update');
  if (inbound) await receive(deps, inbound);
}

/**
 * A status in the pipeline's shape. A DM stays direct (no public link); a content warning is kept
 * in front of the text; media are named in an intake note. A status that only says thanks opens no
 * case; in a thread it joins its case. An edit joins the case of the status it changes, as a new
 * message: the case keeps both versions.
 */
async function inboundOf(
  deps: MastodonIntakeDeps,
  account: MastodonAccountRow,
  status: MastodonStatus,
  edit: boolean,
): Promise<Inbound | null> {
  const notes: string[] = [];
  const text = statusText(status);
  const threadKeys = edit ? [`mastodon:${status.id}`] : status.in_reply_to_id ? [`mastodon:${status.in_reply_to_id}`] : [];
  if (!edit && threadKeys.length === 0 && status.media_attachments.length === 0 && isOnlyThanks(text)) return null;
  const post = status.in_reply_to_id ? await ownPostOf(deps, account.id, status.in_reply_to_id) : null;
  if (post) notes.push(`Antwort auf den Amtsblatt-Beitrag „${post.title}“`);
  if (edit)
    notes.push(
      'Der Beitrag wurde auf Mastodon bearbeitet; die neue Fassung steht als eigene Nachricht im Verlauf, die erste bleibt erhalten.',
    );
  for (const [i, m] of status.media_attachments.entries()) {
    if (i >= 10) break;
    const what =
      m.type === 'image' ? 'Bild' : m.type === 'video' || m.type === 'gifv' ? 'Video' : m.type === 'audio' ? 'Tondatei' : 'Anhang';
    notes.push(`${what} im Beitrag${m.description ? ` („${m.description.slice(0, 200)}“)` : ''}: ${m.url ?? 'ohne Adresse'}`.slice(0, 500));
  }
  const warning = status.spoiler_text.trim();
  const body = [warning ? `Inhaltswarnung: ${warning}` : '', edit ? `Bearbeitete Fassung: ${text}` : text].filter(Boolean).join('\n\n');
  const description = clipDescription(body || '(Eine Erwähnung ohne Text.)', notes);
  const visibility = visibilityOf(status.visibility);
  const name = status.account.display_name.trim() || status.account.username;
  return {
    channel: 'mastodon',
    // The status's URI: its id is unique only on its server, the URI everywhere (two town accounts on two servers).
    externalId: edit ? `${status.uri}#edit:${status.edited_at ?? ''}` : status.uri,
    threadKeys,
    threadKey: edit ? `mastodon:${status.id}:edit:${status.edited_at ?? ''}` : `mastodon:${status.id}`,
    caseNumber: null,
    channelAccountId: account.id,
    defaultTeamId: account.defaultTeamId,
    contact: { kind: 'fediverse', address: addressOf(status.account.acct, account.settings.instanceUrl), displayName: name.slice(0, 120) },
    intakeNotes: notes.slice(0, 20),
    type: account.defaultType,
    categoryId: null,
    description,
    locationText: null,
    lat: null,
    lon: null,
    reporterName: name.slice(0, 120),
    reporterEmail: null,
    consentAt: null,
    visibility,
    publicUrl: visibility === 'direct' ? null : httpUrl(status.url ?? status.uri),
  };
}

const httpUrl = (v: string | null) => (v && /^https?:\/\//.test(v) && v.length <= 2000 ? v : null);

/** One of the town's own published posts (the Amtsblatt), when the status answers it. */
async function ownPostOf(deps: MastodonIntakeDeps, accountId: number, statusId: string) {
  const [row] = await deps.db
    .select({ title: posts.title })
    .from(postTargets)
    .innerJoin(posts, eq(posts.id, postTargets.postId))
    .where(and(eq(postTargets.channelAccountId, accountId), eq(postTargets.externalRef, statusId)))
    .limit(1);
  return row ?? null;
}

/** A like or boost of one of our answers is counted on its case, once per account; elsewhere it is ignored. */
async function countReactions(
  deps: MastodonIntakeDeps,
  account: MastodonAccountRow,
  type: 'favourite' | 'reblog',
  statusId: string,
  from: MastodonAccount[],
): Promise<void> {
  await deps.db.transaction(async (tx: Tx) => {
    const [hit] = await tx
      .select({ caseId: messages.caseId })
      .from(messages)
      .where(eq(messages.threadKey, `mastodon:${statusId}`))
      .orderBy(desc(messages.id))
      .limit(1);
    if (!hit) return;
    const rows = from.map((a) => ({
      caseId: hit.caseId,
      channel: 'mastodon' as const,
      kind: type === 'favourite' ? ('like' as const) : ('boost' as const),
      actorRef: addressOf(a.acct, account.settings.instanceUrl),
      createdAt: deps.clock.now(),
    }));
    if (rows.length > 0) await tx.insert(caseReactions).values(rows).onConflictDoNothing();
  });
}
