import type { KvKey, KvStore, KvStoreListEntry, KvStoreSetOptions } from '@fedify/fedify';
import { and, eq, gt, isNull, lte, or, sql } from 'drizzle-orm';
import type { Clock } from '../../../infra/clock.ts';
import type { Db } from '../../../infra/db.ts';
import { fediverseKv } from '../../../infra/schema/index.ts';

/**
 * Fedify's key–value store on the project's database (PGlite or PostgreSQL), so its caches and its
 * record of activities already handled survive a restart. Expired rows are invisible at once and
 * removed lazily on the next write.
 */
export function databaseKvStore(db: Db, clock: Clock): KvStore {
  const live = () => or(isNull(fediverseKv.expiresAt), gt(fediverseKv.expiresAt, clock.now()));
  const expiryOf = (options?: KvStoreSetOptions) =>
    options?.ttl ? new Date(clock.now().getTime() + options.ttl.total({ unit: 'millisecond' })) : null;
  const keyOf = (key: KvKey) => [...key];
  return {
    async get<T = unknown>(key: KvKey): Promise<T | undefined> {
      const [row] = await db
        .select({ value: fediverseKv.value })
        .from(fediverseKv)
        .where(and(eq(fediverseKv.key, keyOf(key)), live()));
      return row?.value as T | undefined;
    },
    async set(key: KvKey, value: unknown, options?: KvStoreSetOptions): Promise<void> {
      const expiresAt = expiryOf(options);
      await db
        .insert(fediverseKv)
        .values({ key: keyOf(key), value: value as object, expiresAt })
        .onConflictDoUpdate({ target: fediverseKv.key, set: { value: value as object, expiresAt } });
      await db.delete(fediverseKv).where(lte(fediverseKv.expiresAt, clock.now()));
    },
    async delete(key: KvKey): Promise<void> {
      await db.delete(fediverseKv).where(eq(fediverseKv.key, keyOf(key)));
    },
    async cas(key: KvKey, expected: unknown, value: unknown, options?: KvStoreSetOptions): Promise<boolean> {
      const expiresAt = expiryOf(options);
      return db.transaction(async (tx) => {
        const [row] = await tx
          .select({ value: fediverseKv.value })
          .from(fediverseKv)
          .where(and(eq(fediverseKv.key, keyOf(key)), live()))
          .for('update');
        if (JSON.stringify(row?.value) !== JSON.stringify(expected)) return false;
        await tx
          .insert(fediverseKv)
          .values({ key: keyOf(key), value: value as object, expiresAt })
          .onConflictDoUpdate({ target: fediverseKv.key, set: { value: value as object, expiresAt } });
        return true;
      });
    },
    async *list(prefix?: KvKey): AsyncIterable<KvStoreListEntry> {
      const p = prefix ? keyOf(prefix) : [];
      const rows = await db
        .select({ key: fediverseKv.key, value: fediverseKv.value })
        .from(fediverseKv)
        .where(
          and(
            live(),
            p.length
              ? sql`${fediverseKv.key}[1:${sql.raw(String(p.length))}] = array[${sql.join(
                  p.map((part) => sql`${part}`),
                  sql`, `,
                )}]::text[]`
              : undefined,
          ),
        );
      for (const row of rows) yield { key: row.key as unknown as KvKey, value: row.value };
    },
  };
}
