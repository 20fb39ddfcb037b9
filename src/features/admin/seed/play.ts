import { eq, sql } from 'drizzle-orm';
import type { Tx } from '../../../infra/db.ts';
import { type CaseStatus, cases, messages, type Priority } from '../../../infra/schema/index.ts';
import { recordAudit } from '../../cases/audit.ts';
import { recordForward } from '../../cases/forwards.ts';
import { closedStatuses } from '../../cases/labels.ts';
import { trackingUrl } from '../../cases/links.ts';
import type { ChannelRegistry } from '../../channels/registry.ts';
import type { CaseForChannel } from '../../channels/types.ts';
import type { DemoStep } from './case-types.ts';
import type { DemoUserKey } from './musterstadt-data.ts';

/** A demo case as the steps see it, kept in memory so each step knows the state before it. */
export interface PlayedCase extends CaseForChannel {
  trackingToken: string;
  teamName: string | null;
  status: CaseStatus;
  priority: Priority;
}

export interface PlayContext {
  tx: Tx;
  teams: { ids: Map<string, number>; names: Map<number, string> };
  channels: ChannelRegistry;
  publicUrl: string;
  users: Record<DemoUserKey, { id: number; name: string }>;
}

/**
 * Replays what a staff member did on a case, with the same records the case workflow writes: the
 * column change, a message where there is one, and an audit event, all back-dated to `at`.
 */
export async function playStep(ctx: PlayContext, c: PlayedCase, step: DemoStep, at: Date): Promise<void> {
  const user = ctx.users[step.by];
  const actor = { userId: user.id, label: user.name };
  switch (step.do) {
    case 'assign': {
      await touch(ctx.tx, c.id, at, { assigneeId: user.id });
      await recordAudit(ctx.tx, { caseId: c.id, actor, action: 'assigned', details: { assigneeId: user.id, name: user.name }, at });
      if (c.status === 'new') await changeStatus(ctx, c, 'in_progress', actor, at);
      return;
    }
    case 'priority': {
      await touch(ctx.tx, c.id, at, { priority: step.priority });
      await recordAudit(ctx.tx, { caseId: c.id, actor, action: 'priority_changed', details: { from: c.priority, to: step.priority }, at });
      c.priority = step.priority;
      return;
    }
    case 'note': {
      await ctx.tx
        .insert(messages)
        .values({ caseId: c.id, kind: 'note', channel: c.channel, authorUserId: user.id, body: step.text, createdAt: at });
      await touch(ctx.tx, c.id, at, {});
      await recordAudit(ctx.tx, { caseId: c.id, actor, action: 'note_added', at });
      return;
    }
    case 'reply': {
      // Through the channel adapter, as a real answer would go: back the way the message came.
      const adapter = ctx.channels(c);
      if (!adapter) throw new Error(`demo case ${c.number}: no channel adapter for ${c.channel}`);
      const sent = await adapter.reply(ctx.tx, c, {
        body: step.text,
        trackingUrl: trackingUrl(ctx.publicUrl, c.trackingToken),
        staffName: user.name,
        teamName: c.teamName,
      });
      await ctx.tx.insert(messages).values({
        caseId: c.id,
        kind: 'reply',
        channel: c.channel,
        authorUserId: user.id,
        body: step.text,
        threadKey: sent.threadKey ?? null,
        createdAt: at,
      });
      await touch(ctx.tx, c.id, at, {});
      await recordAudit(ctx.tx, {
        caseId: c.id,
        actor,
        action: 'replied',
        details: { channel: adapter.name, delivered: sent.delivered, note: sent.note },
        at,
      });
      return;
    }
    case 'status':
      await changeStatus(ctx, c, step.status, actor, at, step.reason);
      return;
    case 'forward': {
      const toTeamId = ctx.teams.ids.get(step.to);
      if (toTeamId === undefined) throw new Error(`demo case ${c.number}: unknown team ${step.to}`);
      const [row] = await ctx.tx.select({ teamId: cases.teamId }).from(cases).where(eq(cases.id, c.id));
      const fromTeamId = row?.teamId ?? null;
      await ctx.tx
        .update(cases)
        .set({ teamId: toTeamId, assigneeId: null, updatedAt: at, version: sql`${cases.version} + 1` })
        .where(eq(cases.id, c.id));
      const from = fromTeamId === null ? null : (ctx.teams.names.get(fromTeamId) ?? null);
      const to = ctx.teams.names.get(toTeamId) ?? null;
      await recordAudit(ctx.tx, { caseId: c.id, actor, action: 'team_changed', details: { from, to, fromTeamId }, at });
      await recordAudit(ctx.tx, { caseId: c.id, actor, action: 'assigned', details: { to: null, reason: 'Team gewechselt' }, at });
      await recordForward(ctx.tx, { caseId: c.id, fromTeamId, toTeamId, by: user.id, at });
      c.teamName = to;
      return;
    }
  }
}

async function changeStatus(
  ctx: PlayContext,
  c: PlayedCase,
  to: CaseStatus,
  actor: { userId: number; label: string },
  at: Date,
  reason?: string,
): Promise<void> {
  await touch(ctx.tx, c.id, at, { status: to, closedAt: closedStatuses.includes(to) ? at : null });
  await recordAudit(ctx.tx, {
    caseId: c.id,
    actor,
    action: 'status_changed',
    details: { from: c.status, to, ...(reason ? { reason } : {}) },
    at,
  });
  c.status = to;
}

/** Every change bumps the version (optimistic locking in the case workflow) and the update time. */
async function touch(
  tx: Tx,
  caseId: number,
  at: Date,
  set: Partial<{ assigneeId: number; priority: Priority; status: CaseStatus; closedAt: Date | null }>,
): Promise<void> {
  await tx
    .update(cases)
    .set({ ...set, updatedAt: at, version: sql`${cases.version} + 1` })
    .where(eq(cases.id, caseId));
}
