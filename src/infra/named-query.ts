import { createHash } from 'node:crypto';
import type { SQL } from 'drizzle-orm';
import type { PgDialect, PgSession } from 'drizzle-orm/pg-core';
import type { DbOrTx } from './db.ts';

/**
 * Runs a raw SQL statement as a named (prepared) statement, for the statements of every report:
 * PostgreSQL then parses and plans it once per connection instead of on every call. The name
 * carries a hash of the text, because a statement whose text varies (a VALUES list as long as
 * the audit entries) must not reuse another's name; node-postgres keeps one prepared statement
 * per name and connection. PGlite runs it as an ordinary statement.
 *
 * Same result as `db.execute(query)`; drizzle's `.prepare(name)` does this for query builders.
 */
export function executeNamed<T>(db: DbOrTx, name: string, query: SQL): Promise<{ rows: T[] }> {
  const { dialect, session } = db as unknown as { dialect: PgDialect; session: PgSession };
  const built = dialect.sqlToQuery(query);
  const tag = createHash('sha1').update(built.sql).digest('base64url').slice(0, 12);
  return session.prepareQuery(built, undefined, `${name}_${tag}`, false).execute() as Promise<{ rows: T[] }>;
}
