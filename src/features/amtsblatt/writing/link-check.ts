import { and, eq, gte, inArray } from 'drizzle-orm';
import type { Clock } from '../../../infra/clock.ts';
import type { Db } from '../../../infra/db.ts';
import type { Logger } from '../../../infra/log.ts';
import { linkChecks, posts, postTargets } from '../../../infra/schema/index.ts';
import { linksOf } from './check-post.ts';

export const LINK_TIMEOUT_MS = 10_000;
/** A link checked within this time is not asked again. */
const RECHECK_MS = 6 * 3_600_000;

export interface LinkCheckDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  fetchImpl?: typeof fetch;
}

/** HEAD one link (GET when a server refuses HEAD), with a timeout; 2xx/3xx is alive. */
export async function headLink(
  url: string,
  fetchImpl: typeof fetch = fetch,
): Promise<{ ok: boolean; httpStatus: number | null; reason: string | null }> {
  try {
    let res = await fetchImpl(url, { method: 'HEAD', redirect: 'follow', signal: AbortSignal.timeout(LINK_TIMEOUT_MS) });
    if (res.status === 405 || res.status === 501) {
      res = await fetchImpl(url, { method: 'GET', redirect: 'follow', signal: AbortSignal.timeout(LINK_TIMEOUT_MS) });
      await res.body?.cancel();
    }
    return res.status < 400
      ? { ok: true, httpStatus: res.status, reason: null }
      : { ok: false, httpStatus: res.status, reason: `HTTP ${res.status}` };
  } catch (err) {
    const timeout = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
    return { ok: false, httpStatus: null, reason: timeout ? `keine Antwort in ${LINK_TIMEOUT_MS / 1000} Sekunden` : 'nicht erreichbar' };
  }
}

/** The links of posts waiting for approval, each checked at most every six hours; results in link_checks. */
export async function checkLinksOfPostsInReview(deps: LinkCheckDeps): Promise<number> {
  const waiting = await deps.db.select({ id: posts.id, body: posts.body }).from(posts).where(eq(posts.status, 'review'));
  const ids = waiting.map((p) => p.id);
  const variants = ids.length
    ? await deps.db.select({ text: postTargets.text }).from(postTargets).where(inArray(postTargets.postId, ids))
    : [];
  const urls = [...new Set([...waiting.map((p) => p.body), ...variants.map((v) => v.text)].flatMap(linksOf))];
  if (urls.length === 0) return 0;
  const now = deps.clock.now();
  const fresh = await deps.db
    .select({ url: linkChecks.url })
    .from(linkChecks)
    .where(and(inArray(linkChecks.url, urls), gte(linkChecks.checkedAt, new Date(now.getTime() - RECHECK_MS))));
  const known = new Set(fresh.map((f) => f.url));
  let checked = 0;
  for (const url of urls.filter((u) => !known.has(u))) {
    const result = await headLink(url, deps.fetchImpl);
    await deps.db
      .insert(linkChecks)
      .values({ url, ...result, checkedAt: now })
      .onConflictDoUpdate({ target: linkChecks.url, set: { ...result, checkedAt: now } });
    checked++;
  }
  deps.log.info({ checked }, 'links checked');
  return checked;
}

/** The dead ones among these links, as stored by the last check (for checkPost). */
export async function deadLinksAmong(db: Db, urls: readonly string[]): Promise<string[]> {
  if (urls.length === 0) return [];
  const rows = await db
    .select({ url: linkChecks.url, ok: linkChecks.ok })
    .from(linkChecks)
    .where(inArray(linkChecks.url, [...urls]));
  return rows.filter((r) => !r.ok).map((r) => r.url);
}
