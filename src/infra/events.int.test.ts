import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestContext, describeDb, type TestContext } from '../../test/helpers/context.ts';
import { emit, subscribe, subscribeInTransaction } from './events.ts';
import { teams } from './schema/index.ts';

declare module './events.ts' {
  interface DomainEvents {
    'test.ping': { n: number };
    'test.atomic': { slug: string };
  }
}

describeDb('after-commit events on the database handle', () => {
  let ctx: TestContext;
  const heard: number[] = [];

  beforeAll(async () => {
    ctx = await createTestContext();
    subscribe(ctx.db, 'test.ping', ({ n }) => {
      heard.push(n);
    });
  });
  afterAll(() => ctx?.close());

  it('holds an event until the transaction commits, and drops it on rollback', async () => {
    heard.length = 0;
    await ctx.db.transaction(async (tx) => {
      await emit(tx, 'test.ping', { n: 1 });
      expect(heard).toEqual([]);
    });
    expect(heard).toEqual([1]);
    await expect(
      ctx.db.transaction(async (tx) => {
        await emit(tx, 'test.ping', { n: 2 });
        throw new Error('zurück');
      }),
    ).rejects.toThrow('zurück');
    expect(heard).toEqual([1]);
  });

  it('passes a savepoint’s events on only when the savepoint committed', async () => {
    heard.length = 0;
    await ctx.db.transaction(async (tx) => {
      await tx.transaction(async (inner) => emit(inner, 'test.ping', { n: 3 }));
      await tx
        .transaction(async (inner) => {
          await emit(inner, 'test.ping', { n: 4 });
          throw new Error('nur der Savepoint');
        })
        .catch(() => {});
      expect(heard).toEqual([]);
    });
    expect(heard).toEqual([3]);
  });

  it('dispatches at once on the plain handle, and a failing subscriber does not fail the caller', async () => {
    heard.length = 0;
    const off = subscribe(ctx.db, 'test.ping', () => {
      throw new Error('Abonnent kaputt');
    });
    await emit(ctx.db, 'test.ping', { n: 5 });
    off();
    expect(heard).toEqual([5]);
  });

  it('runs in-transaction subscribers inside the change: their writes and errors go with it', async () => {
    const off = subscribeInTransaction(ctx.db, 'test.atomic', async ({ slug }, tx) => {
      if (slug === 'kaputt') throw new Error('abgelehnt');
      await tx.insert(teams).values({ slug, name: `Team ${slug}` });
    });
    await ctx.db.transaction((tx) => emit(tx, 'test.atomic', { slug: 'ereignis' }));
    expect(await ctx.db.$count(teams, eq(teams.slug, 'ereignis'))).toBe(1);
    await expect(
      ctx.db.transaction(async (tx) => {
        await tx.insert(teams).values({ slug: 'vorher', name: 'Vorher' });
        await emit(tx, 'test.atomic', { slug: 'kaputt' });
      }),
    ).rejects.toThrow('abgelehnt');
    expect(await ctx.db.$count(teams, eq(teams.slug, 'vorher'))).toBe(0);
    // Such an event needs a transaction: on the plain handle it is a programming error.
    await expect(emit(ctx.db, 'test.atomic', { slug: 'ohne' })).rejects.toThrow('need a transaction');
    off();
  });

  it('keeps two app instances apart', async () => {
    const other = await createTestContext();
    try {
      const theirs: number[] = [];
      subscribe(other.db, 'test.ping', ({ n }) => {
        theirs.push(n);
      });
      heard.length = 0;
      await other.db.transaction((tx) => emit(tx, 'test.ping', { n: 6 }));
      await ctx.db.execute(sql`select 1`);
      expect(theirs).toEqual([6]);
      expect(heard).toEqual([]);
    } finally {
      await other.close();
    }
  });
});
