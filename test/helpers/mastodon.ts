import { eq } from 'drizzle-orm';
import { createMastodonAccount, findMastodonAccount } from '../../src/features/channels/mastodon/accounts.ts';
import { type PollOutcome, pollMastodonAccount } from '../../src/features/channels/mastodon/intake.ts';
import { mastodonTransport } from '../../src/features/channels/mastodon/transport.ts';
import { outboxJobs } from '../../src/infra/outbox.ts';
import { outbox } from '../../src/infra/schema/index.ts';
import type { FakeMastodon } from '../fakes/mastodon.ts';
import { intakeDeps } from './cases.ts';
import type { TestContext } from './context.ts';

let n = 0;

/** The town's Mastodon account on the fake server, as an admin would connect it. */
export async function connectMastodon(ctx: TestContext, fake: FakeMastodon) {
  const deps = { db: ctx.db, log: ctx.log, secrets: ctx.secrets, clock: ctx.clock };
  return createMastodonAccount(deps, null, { name: `Mastodon ${++n}`, instanceUrl: fake.url, handle: '@stadt', accessToken: fake.token });
}

/** One poll, as the `mastodon.poll` job runs it. */
export const poll = (ctx: TestContext, accountId: number): Promise<PollOutcome> =>
  pollMastodonAccount({ ...intakeDeps(ctx), secrets: ctx.secrets }, accountId);

export const accountStatus = async (ctx: TestContext, id: number) => findMastodonAccount(ctx.db, id);

/** Runs the real delivery job of the outbox's `mastodon` rows once for this row (what the worker does after commit). */
export async function deliverMastodon(ctx: TestContext, outboxId: number): Promise<typeof outbox.$inferSelect | undefined> {
  const transport = mastodonTransport({ db: ctx.db, secrets: ctx.secrets, storage: ctx.storage, log: ctx.log, now: () => ctx.clock.now() });
  const [job] = outboxJobs({ db: ctx.db, queue: ctx.queue, clock: ctx.clock, log: ctx.log, transports: [transport] });
  await job?.handler({ outboxId }).catch(() => {});
  const [row] = await ctx.db.select().from(outbox).where(eq(outbox.id, outboxId));
  return row;
}
