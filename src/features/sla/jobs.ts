import { z } from 'zod';
import type { Config } from '../../config.ts';
import type { Clock } from '../../infra/clock.ts';
import type { Db } from '../../infra/db.ts';
import type { Logger } from '../../infra/log.ts';
import { defineJob, type Queue } from '../../infra/queue.ts';
import { checkCase } from './escalation.ts';
import { clocksNeedingAction } from './queries.ts';
import { hasRecomputeWork, RECOMPUTE_BATCHES_PER_RUN, type RecomputePlan, workRecomputeBatches } from './recompute-service.ts';
import { type SlaTimer, timersAfter } from './service.ts';

export const slaCheckPayload = z.object({ caseId: z.number().int().positive(), at: z.iso.datetime().optional() });
const checkJob = { name: 'sla.check', schema: slaCheckPayload, retryLimit: 5 };

const recomputeJob = { name: 'sla.recompute', schema: z.object({}).passthrough(), retryLimit: 5 };

/** Cases the sweep looks at per minute; more simply wait for the next tick. */
const SWEEP_BATCH = 200;

/**
 * The SLA jobs: `sla.check` runs at the instants a clock asked for (startAfter), one at a time: each
 * check schedules the next instant of its clock, so a new case costs one job, not three. `sla.sweep`
 * runs every minute as the safety net for a check lost in a crash or never scheduled (a process that
 * died between commit and scheduling). Both end in checkCase, which acts at most once per
 * deadline, so running it early, late or twice is harmless.
 */
export function slaJobs(deps: { db: Db; queue: Queue; clock: Clock; log: Logger; config: Pick<Config, 'publicUrl' | 'bundesland'> }) {
  const escalation = { db: deps.db, queue: deps.queue, clock: deps.clock, log: deps.log, publicUrl: deps.config.publicUrl };
  const check = defineJob({
    ...checkJob,
    handler: async ({ caseId, at }) => {
      await checkCase(escalation, caseId);
      if (at) await scheduleSlaChecks(deps.queue, await timersAfter(deps.db, caseId, new Date(at)));
    },
  });
  const sweep = defineJob({
    name: 'sla.sweep',
    schema: z.object({}).passthrough(),
    cron: '* * * * *',
    handler: async () => {
      const due = await clocksNeedingAction(deps.db, deps.clock.now(), SWEEP_BATCH);
      for (const caseId of due) await checkCase(escalation, caseId);
      // Stored recompute work whose kick was lost (a crash right after the admin's commit).
      if (await hasRecomputeWork(deps.db)) await kickRecompute(deps.queue);
    },
  });
  const recompute = defineJob({
    ...recomputeJob,
    handler: async () => {
      const done = await workRecomputeBatches(deps.db, { now: () => deps.clock.now(), state: deps.config.bundesland });
      await scheduleSlaChecks(deps.queue, done.timers);
      if (done.batches > 0) deps.log.info({ batches: done.batches, recomputed: done.recomputed }, 'sla clocks recomputed');
      // More left than one run takes: go on in a fresh job rather than hold this one for long.
      if (done.batches === RECOMPUTE_BATCHES_PER_RUN) await kickRecompute(deps.queue);
    },
  });
  return [check, sweep, recompute] as const;
}

/** After the admin's commit: schedule the moved clocks' checks, or start the job on the stored batches. */
export async function sendRecomputeJobs(queue: Queue, plan: RecomputePlan): Promise<void> {
  if (!plan.later) return scheduleSlaChecks(queue, plan.result.timers);
  await kickRecompute(queue);
}

async function kickRecompute(queue: Queue): Promise<void> {
  await queue.send(recomputeJob, {}, { singletonKey: 'sla.recompute' });
}

/** After commit: the first check of each clock's chain (the earliest instant it asked for). */
export async function scheduleSlaChecks(queue: Queue, timers: readonly SlaTimer[]): Promise<void> {
  const heads = new Map<number, SlaTimer>();
  for (const t of timers) {
    const head = heads.get(t.caseId);
    if (!head || t.at < head.at) heads.set(t.caseId, t);
  }
  for (const t of heads.values()) await queue.send(checkJob, { caseId: t.caseId, at: t.at.toISOString() }, { startAfter: t.at });
}
