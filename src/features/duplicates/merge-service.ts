import { asc, eq, inArray, sql } from 'drizzle-orm';
import type { Clock } from '../../infra/clock.ts';
import type { Db, DbOrTx, Tx } from '../../infra/db.ts';
import { conflict, invalid, notFound } from '../../infra/errors.ts';
import { emit } from '../../infra/events.ts';
import { caseReporters, cases } from '../../infra/schema/index.ts';
import { canSeeTeam } from '../cases/access.ts';
import { type Actor, recordAudit } from '../cases/audit.ts';
import { upsertContact } from '../cases/contacts.ts';
import { closedStatuses } from '../cases/labels.ts';
import type { StaffActor } from '../cases/service.ts';

export interface MergeInput {
  /** The case whose page the clerk is on, and the version that page showed. */
  caseId: number;
  version: number;
  /** The suggested duplicate, and the version shown beside it. */
  otherId: number;
  otherVersion: number;
  /**
   * 'other': the other case carries on, whatever its age ("dieses Anliegen in 2026-00012
   * zusammenführen", by hand or `amtsblatt case merge`). Left out, the older one carries on.
   */
  into?: 'other';
}

/** A clerk, who must be allowed to work on both cases, or the command line (the town's administration). */
export type Merger = StaffActor | { commandLine: true };
const COMMAND_LINE: Actor = { userId: null, label: 'Kommandozeile' };

type CaseRow = typeof cases.$inferSelect;

const NOT_FOUND = 'Dieses Anliegen gibt es nicht, oder Sie haben keinen Zugriff darauf.';
const STALE =
  'Eines der beiden Anliegen wurde inzwischen geändert. Bitte laden Sie die Seite neu und prüfen Sie, ob das Zusammenführen noch passt.';

/**
 * Merges two reports of the same thing. The older one carries on (it usually has the team and the
 * history) unless the clerk named the one to keep; the other is closed as "weitergeleitet" with
 * merged_into_id, keeps its own thread and link, and its reporter (plus anyone already following
 * or merged into it) becomes an additional reporter of the one that carries on, so all hear when
 * it is resolved. Both rows are locked in id order and checked against the versions the clerk
 * saw; the clerk must be allowed to work on both. Only two open cases merge: a closed one has
 * given its answer already, and a merged one carries on elsewhere.
 */
export async function mergeCases(deps: { db: Db; clock: Clock }, actor: Merger, input: MergeInput) {
  if (input.caseId === input.otherId) throw invalid('Ein Anliegen lässt sich nicht mit sich selbst zusammenführen.');
  return deps.db.transaction(async (tx) => {
    const rows = await tx
      .select()
      .from(cases)
      .where(inArray(cases.id, [input.caseId, input.otherId]))
      .orderBy(asc(cases.id))
      .for('update');
    const here = rows.find((r) => r.id === input.caseId);
    const other = rows.find((r) => r.id === input.otherId);
    const allowed = (teamId: number | null) => 'commandLine' in actor || canSeeTeam(actor, teamId);
    if (!here || !other || !allowed(here.teamId) || !allowed(other.teamId)) throw notFound(NOT_FOUND);
    if (here.version !== input.version || other.version !== input.otherVersion) throw conflict(STALE);
    for (const r of [here, other]) await checkMergeable(tx, r);
    const olderFirst = here.createdAt.getTime() - other.createdAt.getTime() || here.id - other.id;
    const [target, source] = input.into === 'other' || olderFirst > 0 ? [other, here] : [here, other];
    const now = deps.clock.now();
    const by = 'commandLine' in actor ? COMMAND_LINE : { userId: actor.id, label: actor.displayName };

    await tx
      .update(cases)
      .set({ status: 'forwarded', closedAt: now, mergedIntoId: target.id, updatedAt: now, version: sql`${cases.version} + 1` })
      .where(eq(cases.id, source.id));
    await tx
      .update(cases)
      .set({ updatedAt: now, version: sql`${cases.version} + 1` })
      .where(eq(cases.id, target.id));
    const moved = await tx
      .update(caseReporters)
      .set({ caseId: target.id })
      .where(eq(caseReporters.caseId, source.id))
      .returning({ id: caseReporters.id });
    await tx.insert(caseReporters).values({
      caseId: target.id,
      kind: 'merged',
      originCaseId: source.id,
      name: source.reporterName,
      email: source.reporterEmail,
      contactId: await mergedReporterContact(tx, source),
      consentAt: source.consentAt,
      createdAt: now,
    });
    const reporters = moved.length + 1;

    const reason = `Zusammengeführt mit ${target.number}`;
    await recordAudit(tx, {
      caseId: source.id,
      actor: by,
      action: 'status_changed',
      details: { from: source.status, to: 'forwarded', reason, merged: true },
      at: now,
    });
    await recordAudit(tx, {
      caseId: source.id,
      actor: by,
      action: 'merged_into',
      details: { into: target.number, reason: `in ${target.number}` },
      at: now,
    });
    await recordAudit(tx, {
      caseId: target.id,
      actor: by,
      action: 'merged',
      details: {
        from: source.number,
        reporters,
        reason: `${source.number} übernommen, ${reporters === 1 ? '1 weitere meldende Person' : `${reporters} weitere Meldende`}`,
      },
      at: now,
    });
    // The public projection follows in this transaction (the duplicate's status, the follower count).
    await emit(tx, 'case.merged', { sourceId: source.id, targetId: target.id, at: now });
    return { targetNumber: target.number, sourceNumber: source.number };
  });
}

/** Refuses a case already merged elsewhere or closed, with the German reason (also for the check before confirming). */
export async function checkMergeable(db: DbOrTx, r: Pick<CaseRow, 'number' | 'status' | 'mergedIntoId'>): Promise<void> {
  if (r.mergedIntoId !== null) {
    const [into] = await db.select({ number: cases.number }).from(cases).where(eq(cases.id, r.mergedIntoId));
    throw invalid(
      `Anliegen ${r.number} ist schon mit ${into?.number ?? 'einem anderen Anliegen'} zusammengeführt und wird dort weiterbearbeitet.`,
    );
  }
  if (closedStatuses.includes(r.status)) {
    throw invalid(`Anliegen ${r.number} ist schon abgeschlossen; nur offene Anliegen lassen sich zusammenführen.`);
  }
}

/**
 * Who hears of the merged case's resolution: its reporter's e-mail contact (the resolution notice
 * goes by mail, and a case taken on the phone may also have an address), else the case's own contact.
 */
async function mergedReporterContact(tx: Tx, source: Pick<CaseRow, 'reporterEmail' | 'reporterName' | 'contactId'>) {
  if (!source.reporterEmail) return source.contactId;
  return upsertContact(tx, { kind: 'email', address: source.reporterEmail, displayName: source.reporterName });
}
