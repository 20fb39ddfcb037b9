import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Clock } from '../../infra/clock.ts';
import type { Db, Tx } from '../../infra/db.ts';
import type { Logger } from '../../infra/log.ts';
import { enqueueMail, newMessageId } from '../../infra/outbox-mail.ts';
import type { Queue } from '../../infra/queue.ts';
import { caseSlas, cases, categories, type Priority, priorities, type SlaDueKind } from '../../infra/schema/index.ts';
import { recordAudit } from '../cases/audit.ts';
import { caseTypeLabels, priorityLabels } from '../cases/labels.ts';
import { runningStatuses } from './case-clock.ts';
import { escalationRecipients, warningRecipients } from './queries.ts';
import { SLA_ACTOR } from './service.ts';
import { formatDue } from './views/format.ts';

export interface EscalationDeps {
  db: Db;
  queue: Queue;
  clock: Clock;
  log: Logger;
  publicUrl: string;
}

const kindLabel: Record<SlaDueKind, string> = { response: 'erste Antwort', resolution: 'Erledigung' };

const stamp = {
  response: { warned: caseSlas.responseWarnedAt, escalated: caseSlas.responseEscalatedAt },
  resolution: { warned: caseSlas.resolutionWarnedAt, escalated: caseSlas.resolutionEscalatedAt },
} as const;

export function raisedPriority(p: Priority): Priority {
  return priorities[Math.min(priorities.indexOf(p) + 1, priorities.length - 1)] ?? p;
}

type Loaded = NonNullable<Awaited<ReturnType<typeof loadForCheck>>>;

async function loadForCheck(tx: Tx, caseId: number) {
  const [row] = await tx
    .select({
      sla: caseSlas,
      number: cases.number,
      status: cases.status,
      priority: cases.priority,
      type: cases.type,
      teamId: cases.teamId,
      assigneeId: cases.assigneeId,
      categoryName: categories.name,
    })
    .from(caseSlas)
    .innerJoin(cases, eq(cases.id, caseSlas.caseId))
    .leftJoin(categories, eq(categories.id, cases.categoryId))
    .where(eq(caseSlas.caseId, caseId));
  return row ?? null;
}

/**
 * Claims one warning or escalation: the stamp is set only if it is still empty, so of two workers
 * (or a job and the sweep, or a retry) exactly one gets the row back and acts; PostgreSQL re-checks
 * the condition after waiting for the other's lock.
 */
async function claim(tx: Tx, caseId: number, kind: SlaDueKind, what: 'warned' | 'escalated', now: Date): Promise<boolean> {
  const column = stamp[kind][what];
  const set =
    what === 'escalated'
      ? kind === 'response'
        ? { responseEscalatedAt: now, responseWarnedAt: sql`coalesce(${caseSlas.responseWarnedAt}, ${now.toISOString()}::timestamptz)` }
        : {
            resolutionEscalatedAt: now,
            resolutionWarnedAt: sql`coalesce(${caseSlas.resolutionWarnedAt}, ${now.toISOString()}::timestamptz)`,
          }
      : kind === 'response'
        ? { responseWarnedAt: now }
        : { resolutionWarnedAt: now };
  const claimed = await tx
    .update(caseSlas)
    .set(set)
    .where(and(eq(caseSlas.caseId, caseId), isNull(column)))
    .returning({ caseId: caseSlas.caseId });
  return claimed.length > 0;
}

/**
 * Looks at one case's clock at the injected `now` and acts on what is due: a warning shortly before
 * a deadline (mail to whoever works on it), an escalation once it passed (priority one step up,
 * mail to the team leads, audit "Frist überschritten"). Each at most once per deadline. Mails go
 * through the outbox in the same transaction and are sent after commit.
 */
export async function checkCase(deps: EscalationDeps, caseId: number): Promise<{ warned: SlaDueKind[]; escalated: SlaDueKind[] }> {
  const now = deps.clock.now();
  const done = { warned: [] as SlaDueKind[], escalated: [] as SlaDueKind[] };
  await deps.db.transaction(async (tx) => {
    const c = await loadForCheck(tx, caseId);
    if (!c || c.sla.pausedSince || !runningStatuses.includes(c.status)) return;
    const kinds: SlaDueKind[] = c.sla.firstResponseAt ? ['resolution'] : ['response', 'resolution'];
    for (const kind of kinds) {
      const due = kind === 'response' ? c.sla.responseDueAt : c.sla.resolutionDueAt;
      if (now >= due) {
        if (await claim(tx, caseId, kind, 'escalated', now)) {
          // One raise per check: a case missing both deadlines at once goes up one step, not two.
          await escalate(tx, deps, c, kind, due, now, done.escalated.length === 0);
          done.escalated.push(kind);
        }
      } else if (kind === c.sla.dueKind && c.sla.warnAt && now >= c.sla.warnAt) {
        if (await claim(tx, caseId, kind, 'warned', now)) {
          await warn(tx, deps, c, kind, due, now);
          done.warned.push(kind);
        }
      }
    }
  });
  if (done.escalated.length > 0 || done.warned.length > 0) deps.log.info({ caseId, ...done }, 'sla check acted');
  return done;
}

const caseUrl = (publicUrl: string, number: string) => `${publicUrl}/staff/faelle/${number}`;
const about = (c: Loaded) => [c.type ? caseTypeLabels[c.type] : null, c.categoryName].filter(Boolean).join(', ') || 'ohne Kategorie';

async function escalate(tx: Tx, deps: EscalationDeps, c: Loaded, kind: SlaDueKind, due: Date, now: Date, raise: boolean): Promise<void> {
  const from = c.priority;
  const to = raise ? raisedPriority(from) : from;
  if (to !== from) {
    await tx
      .update(cases)
      .set({ priority: to, updatedAt: now, version: sql`${cases.version} + 1` })
      .where(eq(cases.id, c.sla.caseId));
    await recordAudit(tx, { caseId: c.sla.caseId, actor: SLA_ACTOR, action: 'priority_changed', details: { from, to }, at: now });
    c.priority = to;
  }
  const recipients = await escalationRecipients(tx, c.teamId);
  for (const r of recipients) {
    await enqueueMail(tx, {
      caseId: c.sla.caseId,
      to: r.email,
      subject: `Frist überschritten: Anliegen ${c.number}`,
      text: [
        r.name ? `Hallo ${r.name},` : 'Hallo,',
        '',
        `beim Anliegen ${c.number} (${about(c)}) ist die Frist für die ${kindLabel[kind]} abgelaufen: fällig war sie ${formatDue(due)}.`,
        to !== from ? `Die Priorität steht jetzt auf „${priorityLabels[to]}“.` : `Die Priorität steht schon auf „${priorityLabels[to]}“.`,
        '',
        'Kein Grund zur Panik – aber ein guter Moment, kurz hineinzuschauen, damit die Meldung nicht liegen bleibt:',
        caseUrl(deps.publicUrl, c.number),
        '',
        'Ihre Fristenüberwachung',
      ].join('\n'),
      messageId: newMessageId(deps.publicUrl, c.number),
      automatic: true,
    });
  }
  const notified = recipients.map((r) => r.name ?? r.email).join(', ');
  await recordAudit(tx, {
    caseId: c.sla.caseId,
    actor: SLA_ACTOR,
    action: 'sla_breached',
    details: {
      kind,
      dueAt: due.toISOString(),
      reason: `${kindLabel[kind]} war fällig ${formatDue(due)}; ${notified ? `benachrichtigt: ${notified}` : 'keine Teamleitung und keine Team-Adresse hinterlegt'}`,
    },
    at: now,
  });
}

async function warn(tx: Tx, deps: EscalationDeps, c: Loaded, kind: SlaDueKind, due: Date, now: Date): Promise<void> {
  const recipients = await warningRecipients(tx, c);
  for (const r of recipients) {
    await enqueueMail(tx, {
      caseId: c.sla.caseId,
      to: r.email,
      subject: `Bald fällig: Anliegen ${c.number}`,
      text: [
        r.name ? `Hallo ${r.name},` : 'Hallo,',
        '',
        `kurze Erinnerung: Beim Anliegen ${c.number} (${about(c)}) ist die ${kindLabel[kind]} fällig ${formatDue(due)}.`,
        'Noch ist alles im grünen Bereich – mit einem Blick jetzt bleibt es auch so:',
        caseUrl(deps.publicUrl, c.number),
        '',
        'Ihre Fristenüberwachung',
      ].join('\n'),
      messageId: newMessageId(deps.publicUrl, c.number),
      automatic: true,
    });
  }
  await recordAudit(tx, {
    caseId: c.sla.caseId,
    actor: SLA_ACTOR,
    action: 'sla_warning',
    details: { kind, dueAt: due.toISOString(), reason: `${kindLabel[kind]} fällig ${formatDue(due)}` },
    at: now,
  });
}
