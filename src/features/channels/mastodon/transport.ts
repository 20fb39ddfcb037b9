import { eq } from 'drizzle-orm';
import type { Db } from '../../../infra/db.ts';
import type { Logger } from '../../../infra/log.ts';
import type { Transport } from '../../../infra/outbox.ts';
import { messages } from '../../../infra/schema/index.ts';
import type { SecretBox } from '../../../infra/secrets.ts';
import type { Storage } from '../../../infra/storage.ts';
import { clientOf, recordFailure, recordSuccess } from './accounts.ts';
import { type MastodonClient, MastodonError } from './api.ts';
import { type MastodonPayload, mastodonPayload } from './channel.ts';
import { capabilitiesOf } from './limits.ts';
import { statusVisibilityOf } from './status-text.ts';

type Payload = ReturnType<typeof mastodonPayload.parse>;

/**
 * Sends the outbox's Mastodon rows on the account they name. Every POST carries the row's
 * idempotency key as `Idempotency-Key`, so a retry after a lost answer does not post twice (the
 * server returns the first status). A text longer than the server allows becomes a thread of
 * statuses, each answering the one before. A rate limit or an outage throws: the delivery job
 * retries later with back-off; a rejected token is also recorded on the account's status.
 */
export function mastodonTransport(deps: {
  db: Db;
  secrets: SecretBox;
  storage: Storage;
  log: Logger;
  now: () => Date;
}): Transport<Payload> {
  return {
    kind: 'mastodon',
    payload: mastodonPayload as unknown as Transport<Payload>['payload'],
    async deliver(row, payload) {
      if (!row.channelAccountId) throw new Error('Mastodon-Eintrag ohne Konto');
      const accountId = row.channelAccountId;
      const client = await clientOf(deps.db, deps.secrets, accountId, deps.now);
      try {
        const externalRef = await run(client, row.idempotencyKey, payload);
        await recordSuccess(deps.db, accountId, deps.now());
        if (payload.action === 'post' && payload.pendingThreadKey) {
          // The answer's message now names the status, so the citizen's reply to it threads into the case.
          await deps.db
            .update(messages)
            .set({ threadKey: `mastodon:${externalRef}` })
            .where(eq(messages.threadKey, payload.pendingThreadKey));
        }
        return { status: 'sent', externalRef };
      } catch (err) {
        if (err instanceof MastodonError && err.kind === 'unauthorized') {
          await recordFailure(
            deps.db,
            accountId,
            deps.now(),
            'Der Zugangsschlüssel wurde beim Senden abgelehnt. Bitte tragen Sie unter „Kanäle“ einen neuen ein.',
          );
        }
        if (err instanceof MastodonError && err.kind === 'rate_limited') {
          deps.log.info({ outboxId: row.id, retryAt: err.retryAt?.toISOString() }, 'mastodon rate limit, delivery retried later');
        }
        throw err;
      }
    },
  };

  async function run(client: MastodonClient, key: string, p: Payload): Promise<string> {
    if (p.action === 'delete') {
      await client.deleteStatus(p.statusId).catch((err: unknown) => {
        // Already gone on the server: what we wanted.
        if (!(err instanceof MastodonError && err.kind === 'not_found')) throw err;
      });
      return p.statusId;
    }
    const mediaIds = [];
    for (const m of p.media) {
      const data = await deps.storage.get(m.storageKey);
      const uploaded = await client.uploadMedia(new Blob([new Uint8Array(data)], { type: m.mimeType }), fileName(m.mimeType), m.alt);
      mediaIds.push(uploaded.id);
    }
    const spoiler = p.spoilerText ? { spoiler_text: p.spoilerText } : {};
    if (p.action === 'edit') {
      await client.editStatus(p.statusId, { status: p.text, media_ids: mediaIds, ...spoiler });
      return p.statusId;
    }
    const limits = await capabilitiesOf(client, deps.now);
    const parts = splitText(p.text, limits.maxLength);
    let parent = p.inReplyToId;
    for (const [i, part] of parts.entries()) {
      const status = await client.postStatus(
        {
          status: part,
          visibility: statusVisibilityOf(p.visibility),
          ...(parent ? { in_reply_to_id: parent } : {}),
          ...(i === 0 && mediaIds.length > 0 ? { media_ids: mediaIds } : {}),
          ...spoiler,
          language: 'de',
        },
        i === 0 ? key : `${key}:${i}`,
      );
      parent = status.id;
    }
    if (!parent) throw new Error('no status posted');
    return parent;
  }
}

const fileName = (mime: string) => `bild.${mime === 'image/png' ? 'png' : mime === 'image/webp' ? 'webp' : 'jpg'}`;

/**
 * Parts of at most `max` characters (Mastodon counts code points), cut at a line break or space
 * where there is one, numbered "(1/3)" when there is more than one. The first part keeps the
 * citizen's @handle at its start, so later parts reach them through the thread.
 */
export function splitText(text: string, max: number): string[] {
  if ([...text].length <= max) return [text];
  const room = max - 8;
  const parts: string[] = [];
  let rest = text.trim();
  while ([...rest].length > room) {
    const head = [...rest].slice(0, room).join('');
    const cut = Math.max(head.lastIndexOf('\n'), head.lastIndexOf(' '));
    const at = cut > room / 2 ? cut : head.length;
    parts.push(rest.slice(0, at).trimEnd());
    rest = rest.slice(at).trimStart();
  }
  if (rest) parts.push(rest);
  return parts.map((p, i) => `${p} (${i + 1}/${parts.length})`);
}

export type { MastodonPayload };
