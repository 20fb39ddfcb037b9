import type { AppBskyNotificationListNotifications } from '@atproto/api';
import { XRPCError } from '@atproto/api';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Logger } from '../../../infra/log.ts';
import { caseReactions, channelAccounts, messages, posts, postTargets } from '../../../infra/schema/index.ts';
import type { Inbound } from '../../intake/inbound.ts';
import { clipDescription, LIMITS } from '../../intake/inbound.ts';
import { type IntakeDeps, receive } from '../../intake/service.ts';
import { type BlueskyAccount, type BlueskyDeps, isAuthProblem, problemText, recordContact, retryAfterOf, withAgent } from './client.ts';
import { blueskyThreadKey, publicUrlOf } from './payload.ts';
import { type PostRecord, postRecord, reactionRecord, recordProblem } from './records.ts';
import { isOnlyThanks } from './text.ts';

type Notification = AppBskyNotificationListNotifications.Notification;

const PAGE = 50;
/** Pages read per round: 500 notifications; more wait for the next round (nothing is lost, see below). */
const MAX_PAGES = 10;
const CASE_REASONS = new Set(['mention', 'reply', 'quote']);
const REACTIONS: Record<string, 'like' | 'boost'> = { like: 'like', repost: 'boost' };
/** How many skipped items the account's page lists. */
const SKIPPED_KEPT = 20;

export type PollOutcome =
  | { status: 'done'; stored: number; reactions: number; skipped: number }
  | { status: 'waiting'; until: Date }
  | { status: 'failed'; error: string };

/**
 * One round of intake for a Bluesky account: the notifications newer than where the last round
 * stopped (`seenAt`, the newest `indexedAt` taken in), oldest first, each through the one pipeline
 * (idempotent on the post's AT URI). Only when all are stored does the cursor move and the server
 * hear `updateSeen`, so an outage in between only means the same items are read again.
 */
export async function pollBlueskyAccount(deps: IntakeDeps & BlueskyDeps, account: BlueskyAccount): Promise<PollOutcome> {
  const now = deps.clock.now();
  const until = account.cursor.retryAfter ? new Date(account.cursor.retryAfter) : null;
  if (until && until > now) return { status: 'waiting', until };
  const log = deps.log.child({ module: 'bluesky-intake', accountId: account.id });
  try {
    const result = await withAgent(deps, account, async (agent) => {
      const fresh = await newNotifications(
        (cursor) => agent.app.bsky.notification.listNotifications({ limit: PAGE, ...(cursor ? { cursor } : {}) }),
        account.cursor.seenAt,
      );
      const counts = { stored: 0, reactions: 0, skipped: 0 };
      const skipped: { uri: string; reason: string; at: string }[] = [];
      for (const n of [...fresh].reverse()) {
        const outcome = await takeIn(deps, account, n, log);
        if (outcome === 'skipped') continue;
        if (typeof outcome === 'object') {
          counts.skipped += 1;
          skipped.push({ uri: n.uri, reason: outcome.skipped, at: now.toISOString() });
        } else counts[outcome] += 1;
      }
      const newest = fresh[0]?.indexedAt;
      if (newest) {
        await moveCursor(deps, account, newest, skipped);
        await agent.app.bsky.notification.updateSeen({ seenAt: newest });
      }
      return counts;
    });
    await recordContact(deps, account, { ok: true });
    log.info(result, 'bluesky notifications taken in');
    return { status: 'done', ...result };
  } catch (err) {
    const error = problemText(err, now);
    const retryAfter = err instanceof XRPCError && err.status === 429 ? retryAfterOf(err, now) : backOff(account, now, err);
    await recordContact(deps, account, { ok: false, error, ...(retryAfter ? { retryAfter } : {}) });
    log.warn(
      { status: err instanceof XRPCError ? err.status : null, error: err instanceof XRPCError ? err.error : 'network' },
      'bluesky intake failed',
    );
    return { status: 'failed', error };
  }
}

/** After an outage or a refused login: wait 1, 2, 4 … minutes (at most 30), so a broken account is no crash loop. */
function backOff(account: BlueskyAccount, now: Date, err: unknown): Date {
  const minutes = Math.min(30, 2 ** Math.min(account.consecutiveFailures, 5) * (isAuthProblem(err) ? 5 : 1));
  return new Date(now.getTime() + minutes * 60_000);
}

/** Newest first, until the first one already taken in (or the page limit). */
async function newNotifications(
  list: (cursor?: string) => Promise<{ data: AppBskyNotificationListNotifications.OutputSchema }>,
  seenAt: string | null,
): Promise<Notification[]> {
  const out: Notification[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const { data } = await list(cursor);
    for (const n of data.notifications) {
      if (seenAt && n.indexedAt <= seenAt) return out;
      out.push(n);
    }
    // The first round starts now: history before the account was connected is not a backlog of cases.
    if (!seenAt || !data.cursor || data.notifications.length === 0) return out;
    cursor = data.cursor;
  }
  return out;
}

async function moveCursor(
  deps: BlueskyDeps,
  account: BlueskyAccount,
  seenAt: string,
  skipped: { uri: string; reason: string; at: string }[],
) {
  const kept = [...skipped.reverse(), ...(account.cursor.skipped ?? [])].slice(0, SKIPPED_KEPT);
  account.cursor = { ...account.cursor, seenAt, skipped: kept };
  await deps.db
    .update(channelAccounts)
    .set({ cursor: sql`${channelAccounts.cursor} || ${JSON.stringify({ seenAt, skipped: kept })}::jsonb` })
    .where(eq(channelAccounts.id, account.id));
}

type Taken = 'stored' | 'reactions' | 'skipped' | { skipped: string };

async function takeIn(deps: IntakeDeps, account: BlueskyAccount, n: Notification, log: Logger): Promise<Taken> {
  if (REACTIONS[n.reason]) return countReaction(deps, n, REACTIONS[n.reason] as 'like' | 'boost');
  if (!CASE_REASONS.has(n.reason)) return 'skipped';
  const parsed = postRecord.safeParse(n.record);
  if (!parsed.success) {
    log.warn({ uri: n.uri, reason: n.reason }, 'bluesky record skipped: malformed');
    return { skipped: recordProblem(parsed.error) };
  }
  const record = parsed.data;
  const threadKeys = [record.reply?.parent.uri, record.reply?.root.uri, n.reason === 'quote' ? quotedUri(record) : undefined]
    .filter((u): u is string => Boolean(u))
    .map(blueskyThreadKey);
  const text = record.text.trim();
  // A thank-you opens no case; inside a case's thread the pipeline lets it join (and shows it there).
  if (isOnlyThanks(text) && !(await threadKnown(deps, threadKeys))) return 'skipped';
  const notes: string[] = [];
  const ours = await ownPostAnswered(deps, [record.reply?.parent.uri, quotedUri(record)]);
  if (ours) notes.push(`Antwort auf den Amtsblatt-Beitrag „${ours}“`);
  if (n.reason === 'quote') notes.push('Zitat eines Beitrags auf Bluesky.');
  const inbound: Inbound = {
    channel: 'bluesky',
    externalId: n.uri,
    threadKeys: [...new Set(threadKeys)],
    threadKey: blueskyThreadKey(n.uri),
    channelAccountId: account.id,
    defaultTeamId: account.defaultTeamId,
    contact: { kind: 'bluesky', address: n.author.handle, displayName: n.author.displayName?.trim().slice(0, LIMITS.name) || null },
    intakeNotes: notes,
    autoReply: false,
    type: account.defaultType,
    categoryId: null,
    description: clipDescription(text || '(Beitrag ohne Text)', notes),
    locationText: null,
    lat: null,
    lon: null,
    reporterName: n.author.displayName?.trim().slice(0, LIMITS.name) || `@${n.author.handle}`.slice(0, LIMITS.name),
    reporterEmail: null,
    consentAt: null,
    visibility: 'public',
    publicUrl: publicUrlOf(n.uri, n.author.handle),
  };
  await receive(deps, inbound);
  return 'stored';
}

function quotedUri(record: PostRecord): string | undefined {
  const embed = record.embed as { record?: { uri?: unknown; record?: { uri?: unknown } } } | undefined;
  const uri = embed?.record?.uri ?? embed?.record?.record?.uri;
  return typeof uri === 'string' ? uri : undefined;
}

async function threadKnown(deps: IntakeDeps, keys: string[]): Promise<boolean> {
  if (keys.length === 0) return false;
  const [row] = await deps.db.select({ id: messages.id }).from(messages).where(inArray(messages.threadKey, keys)).limit(1);
  return Boolean(row);
}

/** The title of the town's own Amtsblatt post published as one of these AT URIs, if any. */
async function ownPostAnswered(deps: IntakeDeps, uris: (string | undefined)[]): Promise<string | null> {
  const wanted = uris.filter((u): u is string => Boolean(u));
  if (wanted.length === 0) return null;
  const [row] = await deps.db
    .select({ title: posts.title })
    .from(postTargets)
    .innerJoin(posts, eq(posts.id, postTargets.postId))
    .where(and(eq(postTargets.target, 'bluesky'), inArray(postTargets.externalRef, wanted)))
    .limit(1);
  return row?.title ?? null;
}

/** A like or repost of a post of a case (the citizen's or our answer) is counted on that case, once per account. */
async function countReaction(deps: IntakeDeps, n: Notification, kind: 'like' | 'boost'): Promise<Taken> {
  const parsed = reactionRecord.safeParse(n.record);
  const subject = parsed.success ? parsed.data.subject.uri : n.reasonSubject;
  if (!subject) return 'skipped';
  const [hit] = await deps.db
    .select({ caseId: messages.caseId })
    .from(messages)
    .where(eq(messages.threadKey, blueskyThreadKey(subject)))
    .limit(1);
  if (!hit) return 'skipped';
  await deps.db
    .insert(caseReactions)
    .values({ caseId: hit.caseId, channel: 'bluesky', kind, actorRef: n.author.handle })
    .onConflictDoNothing();
  return 'reactions';
}
