import { z } from 'zod';
import type { Bundesland, Config } from '../../config.ts';
import type { Clock } from '../../infra/clock.ts';
import type { Db } from '../../infra/db.ts';
import type { Logger } from '../../infra/log.ts';
import { defineJob, type Queue } from '../../infra/queue.ts';
import { checkCase } from './escalation.ts';
import { clocksNeedingAction } from './queries.ts';
import { RECOMPUTE_BATCH, type RecomputeChange, type RecomputePlan, recomputeClocks } from './recompute-service.ts';
import { type SlaTimer, timersAfter } from './service.ts';

export const slaCheckPayload = z.object({ caseId: z.number().int().positive(), at: z.iso.datetime().optional() });
const checkJob = { name: 'sla.check', schema: slaCheckPayload, retryLimit: 5 };

const interval = z.tuple([z.number().int().min(0).max(1440), z.number().int().min(0).max(1440)]);
export const slaRecomputePayload = z.object({
  caseIds: z.array(z.number().int().positive()).min(1).max(RECOMPUTE_BATCH),
  at: z.iso.datetime(),
  change: z.discriminatedUnion('kind', [
    z.object({
      kind: z.literal('hours'),
      teamId: z.number().int().positive().nullable(),
      before: z.object({ week: z.array(z.array(interval).max(4)).length(7), closedDays: z.array(z.string().max(5)).max(30) }),
    }),
    z.object({ kind: z.literal('policy'), policyId: z.number().int().positive() }),
  ]),
});
const recomputeJob = { name: 'sla.recompute', schema: slaRecomputePayload, retryLimit: 5 };

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
    },
  });
  const recompute = defineJob({
    ...recomputeJob,
    handler: async ({ caseIds, at, change }) => {
      const now = deps.clock.now();
      const state: Bundesland = deps.config.bundesland;
      const result = await deps.db.transaction((tx) => recomputeClocks(tx, caseIds, change, { at: new Date(at), now, state }));
      await scheduleSlaChecks(deps.queue, result.timers);
      deps.log.info(
        { change: change.kind, cases: caseIds.length, recomputed: result.recomputed, moved: result.moved },
        'sla clocks recomputed',
      );
    },
  });
  return [check, sweep, recompute] as const;
}

/** After commit: one `sla.recompute` job per batch of a change too large to recompute in its own transaction. */
export async function sendRecomputeJobs(queue: Queue, change: RecomputeChange, plan: RecomputePlan): Promise<void> {
  if (!plan.later) return scheduleSlaChecks(queue, plan.result.timers);
  const payloadChange =
    change.kind === 'hours'
      ? {
          ...change,
          before: {
            week: change.before.week.map((d) => d.map(([o, c]): [number, number] => [o, c])),
            closedDays: [...change.before.closedDays],
          },
        }
      : change;
  for (const caseIds of plan.batches) await queue.send(recomputeJob, { caseIds, at: plan.at.toISOString(), change: payloadChange });
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
