import { createBlueskyAccount } from '../../src/features/channels/bluesky/accounts.ts';
import { type BlueskyAccount, loadBlueskyAccount } from '../../src/features/channels/bluesky/client.ts';
import { pollBlueskyAccount } from '../../src/features/channels/bluesky/intake.ts';
import type { FakeAuthor, FakeBluesky } from '../fakes/bluesky.ts';
import { intakeDeps } from './cases.ts';
import type { TestContext } from './context.ts';

export const erika: FakeAuthor = { did: 'did:plc:erika000000000000000000', handle: 'erika.bsky.social', displayName: 'Erika Mustermann' };

/** The town's Bluesky account on the fake server, as an admin would connect it. */
export async function connectBluesky(ctx: TestContext, fake: FakeBluesky, name = 'Bluesky'): Promise<BlueskyAccount> {
  return createBlueskyAccount({ db: ctx.db, log: ctx.log, secrets: ctx.secrets, clock: ctx.clock }, null, {
    name,
    handle: fake.account.handle,
    service: fake.url,
    appPassword: fake.appPassword,
  });
}

/** One intake round, as the poll job runs it (fresh account state from the database). */
export async function pollOnce(ctx: TestContext, accountId: number) {
  const account = await loadBlueskyAccount(ctx, accountId);
  if (!account) throw new Error('account gone');
  return pollBlueskyAccount({ ...intakeDeps(ctx), secrets: ctx.secrets }, account);
}

let n = 0;
/** A citizen's post on the fake (a mention of the town, or a reply with `reply`), returned as its notification. */
export function citizenPost(
  fake: FakeBluesky,
  text: string,
  opts: { reason?: string; reply?: { root: { uri: string; cid: string }; parent: { uri: string; cid: string } }; author?: FakeAuthor } = {},
) {
  const author = opts.author ?? erika;
  n += 1;
  return fake.notify({
    uri: `at://${author.did}/app.bsky.feed.post/3lcitizen${String(n).padStart(5, '0')}`,
    author,
    reason: opts.reason ?? (opts.reply ? 'reply' : 'mention'),
    record: {
      $type: 'app.bsky.feed.post',
      text,
      createdAt: new Date().toISOString(),
      ...(opts.reply ? { reply: opts.reply } : {}),
    },
  });
}
