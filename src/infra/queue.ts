import type { PGlite } from '@electric-sql/pglite';
import { fromPglite, PgBoss } from 'pg-boss';
import type { z } from 'zod';
import type { Database } from './db.ts';
import type { Logger } from './log.ts';

/**
 * Jobs are data: a name, a Zod payload schema and a handler. Features export their definitions;
 * the worker registers them all from one list. A handler that sends something outward must be
 * idempotent (it may run again after a crash), and says how in its own comment.
 */
export interface JobDefinition<S extends z.ZodType = z.ZodType> {
  name: string;
  schema: S;
  retryLimit?: number;
  /** Cron expression for jobs that run on a schedule (one run per tick across all processes). */
  cron?: string;
  handler(payload: z.infer<S>): Promise<void>;
}

export function defineJob<S extends z.ZodType>(def: JobDefinition<S>): JobDefinition<S> {
  return def;
}

export interface Queue {
  /** Validates the payload against the job's schema before it is stored. */
  send<S extends z.ZodType>(
    job: Pick<JobDefinition<S>, 'name' | 'schema' | 'retryLimit'>,
    payload: z.infer<S>,
    opts?: { startAfter?: Date; singletonKey?: string },
  ): Promise<void>;
  /** Starts workers for these jobs in this process. */
  work(jobs: JobDefinition[]): Promise<void>;
  stop(): Promise<void>;
}

export async function createQueue(database: Database, log: Logger, opts: { pollingIntervalSeconds?: number } = {}): Promise<Queue> {
  const boss =
    database.kind === 'pglite'
      ? new PgBoss({ db: fromPglite(database.pglite as PGlite), backend: 'pglite', schema: 'pgboss' })
      : new PgBoss({ connectionString: connectionStringOf(database), schema: 'pgboss', max: 4 });
  boss.on('error', (err: unknown) => log.error({ err }, 'queue error'));
  await boss.start();
  const created = new Set<string>();
  const ensureQueue = async (name: string, retryLimit = 5) => {
    if (created.has(name)) return;
    await boss.createQueue(name, { retryLimit, retryDelay: 30, retryBackoff: true });
    created.add(name);
  };
  return {
    async send(job, payload, sendOpts = {}) {
      const data = job.schema.parse(payload) as object;
      await ensureQueue(job.name, job.retryLimit);
      await boss.send(job.name, data, {
        ...(sendOpts.startAfter ? { startAfter: sendOpts.startAfter } : {}),
        ...(sendOpts.singletonKey ? { singletonKey: sendOpts.singletonKey } : {}),
      });
    },
    async work(jobs) {
      for (const job of jobs) {
        await ensureQueue(job.name, job.retryLimit);
        // Batches of 10: a full batch makes pg-boss fetch again at once, so a backlog drains quickly.
        await boss.work(job.name, { pollingIntervalSeconds: opts.pollingIntervalSeconds ?? 2, batchSize: 10 }, async (batch) => {
          for (const item of batch) {
            const parsed = job.schema.safeParse(item.data);
            if (!parsed.success) {
              // A payload that no longer fits its schema will never succeed: log and drop it.
              log.error({ job: job.name, id: item.id, issues: parsed.error.issues }, 'job payload invalid, dropped');
              continue;
            }
            await job.handler(parsed.data);
          }
        });
        if (job.cron) await boss.schedule(job.name, job.cron, {});
      }
    },
    stop: () => boss.stop({ graceful: true, timeout: 10_000 }),
  };
}

function connectionStringOf(database: Extract<Database, { kind: 'postgres' }>): string {
  const options = database.pool.options as { connectionString?: string };
  if (!options.connectionString) throw new Error('PostgreSQL pool without connection string');
  return options.connectionString;
}
