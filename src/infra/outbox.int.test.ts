import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestContext, describeDb, type TestContext } from '../../test/helpers/context.ts';
import { AUTOMATIC_PER_ADDRESS_PER_DAY, enqueueOutbound } from './outbox.ts';
import { contacts, outbox } from './schema/index.ts';

describeDb('the one outbox', () => {
  let ctx: TestContext;
  let contactId: number;
  beforeAll(async () => {
    ctx = await createTestContext();
    const [row] = await ctx.db.insert(contacts).values({ kind: 'email', address: 'flut@example.org' }).returning();
    contactId = row?.id ?? 0;
  });
  afterAll(() => ctx?.close());

  const item = (over: Partial<Parameters<typeof enqueueOutbound>[1]> = {}) => ({
    kind: 'email' as const,
    address: 'flut@example.org',
    payload: { subject: 'Eingangsbestätigung', text: 'Danke!' },
    ...over,
  });

  it('writes an item once per idempotency key', async () => {
    expect((await enqueueOutbound(ctx.db, item({ idempotencyKey: 'einmal' }))).outcome).toBe('queued');
    expect((await enqueueOutbound(ctx.db, item({ idempotencyKey: 'einmal' }))).outcome).toBe('repeat');
  });

  it(`caps automatic items to one citizen's address at ${AUTOMATIC_PER_ADDRESS_PER_DAY} a day; a person's answer still goes`, async () => {
    const outcomes = [];
    for (let n = 0; n < AUTOMATIC_PER_ADDRESS_PER_DAY + 2; n++) {
      outcomes.push((await enqueueOutbound(ctx.db, item({ contactId, automatic: true }))).outcome);
    }
    expect(outcomes.filter((o) => o === 'queued')).toHaveLength(AUTOMATIC_PER_ADDRESS_PER_DAY);
    expect(outcomes.slice(-2)).toEqual(['capped', 'capped']);
    expect((await enqueueOutbound(ctx.db, item({ contactId, automatic: false }))).outcome).toBe('queued');
    // Staff notices (no contact) are not capped.
    expect((await enqueueOutbound(ctx.db, item({ automatic: true }))).outcome).toBe('queued');
    expect(await ctx.db.$count(outbox)).toBe(1 + AUTOMATIC_PER_ADDRESS_PER_DAY + 2);
  });
});
