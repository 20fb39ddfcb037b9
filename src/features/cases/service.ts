import { eq, sql } from 'drizzle-orm';
import type { Config } from '../../config.ts';
import type { Clock } from '../../infra/clock.ts';
import type { Db, Tx } from '../../infra/db.ts';
import { conflict, invalid, notFound } from '../../infra/errors.ts';
import { emit } from '../../infra/events.ts';
import { findPersonalData } from '../../infra/masking/mask.ts';
import type { Queue } from '../../infra/queue.ts';
import { type CaseStatus, cases, messages } from '../../infra/schema/index.ts';
import type { ChannelRegistry } from '../channels/registry.ts';
import type { OutboundResult } from '../channels/types.ts';
import { canSeeTeam, type Viewer } from './access.ts';
import { type Actor, type AuditAction, CITIZEN, recordAudit } from './audit.ts';
import { contactRef } from './contacts.ts';
import { caseChanged } from './events.ts';
import type { AssignInput, EditInput, NoteInput, ReplyInput } from './forms.ts';
import { recordForward } from './forwards.ts';
import { caseStatusLabels, channelLabels, closedStatuses, statusTransitions } from './labels.ts';
import { trackingUrl } from './links.ts';
import { assignableUsers, findCategory, findTeam, findUserName, lockCase, teamSignature } from './queries.ts';

export interface CasesDeps {
  db: Db;
  queue: Queue;
  clock: Clock;
  channels: ChannelRegistry;
  config: Pick<Config, 'publicUrl' | 'bundesland'>;
}

/** The signed-in staff member acting on a case. */
export interface StaffActor extends Viewer {
  displayName: string;
}

export const STALE_MESSAGE = 'Jemand anderes hat dieses Anliegen inzwischen geändert. Bitte laden Sie die Seite neu.';
const NOT_FOUND = 'Dieses Anliegen gibt es nicht, oder Sie haben keinen Zugriff darauf.';

type CaseRow = NonNullable<Awaited<ReturnType<typeof lockCase>>>;
type Change = Partial<Pick<CaseRow, 'type' | 'categoryId' | 'teamId' | 'assigneeId' | 'priority' | 'status' | 'closedAt' | 'tags'>>;
type Step = { action: AuditAction; details: Record<string, unknown> };

const actorOf = (a: StaffActor): Actor => ({ userId: a.id, label: a.displayName });

/**
 * Every change to a case runs here: lock the row, check access and the version the form was
 * loaded with (optimistic concurrency: a stale form changes nothing), apply, write one audit event
 * per step, bump version and updated_at, all in one transaction.
 */
async function changeCase<T>(
  deps: CasesDeps,
  actor: StaffActor,
  caseId: number,
  version: number,
  work: (tx: Tx, row: CaseRow) => Promise<{ change: Change; steps: Step[]; result: T }>,
): Promise<T & { changed: boolean }> {
  return deps.db.transaction(async (tx) => {
    const row = await lockCase(tx, caseId);
    if (!row || !canSeeTeam(actor, row.teamId)) throw notFound(NOT_FOUND);
    if (row.version !== version) throw conflict(STALE_MESSAGE);
    const { change, steps, result } = await work(tx, row);
    if (steps.length === 0) return { ...result, changed: false };
    const now = deps.clock.now();
    await tx
      .update(cases)
      .set({ ...change, updatedAt: now, version: sql`${cases.version} + 1` })
      .where(eq(cases.id, row.id));
    for (const step of steps) await recordAudit(tx, { caseId: row.id, actor: actorOf(actor), ...step, at: now });
    // The team it leaves keeps reading it (forwards.ts): the hand-off is stored with the change itself.
    if (change.teamId !== undefined && change.teamId !== row.teamId) {
      await recordForward(tx, { caseId: row.id, fromTeamId: row.teamId, toTeamId: change.teamId, by: actor.id, at: now });
    }
    // The clock (SLA) follows inside this transaction; routing rules with the trigger "updated" after it.
    await emit(tx, 'case.changed', caseChanged(row, change, { actions: steps.map((s) => s.action), actor: actorOf(actor), at: now }));
    if (change.status === 'resolved' && row.status !== 'resolved') {
      // Everyone who reported it (followers and merged duplicates too) hears once; a reply in this step counts.
      const teamId = change.teamId !== undefined ? change.teamId : row.teamId;
      await emit(tx, 'case.resolved', {
        case: row,
        actor: actorOf(actor),
        staffName: actor.displayName,
        teamName: teamId === null ? null : ((await findTeam(tx, teamId))?.name ?? null),
        ownReporterAnswered: steps.some((s) => s.action === 'replied' && s.details.delivered === true),
        at: now,
      });
    }
    return { ...result, changed: true };
  });
}

/**
 * Status rules: only the moves in statusTransitions; closing stamps closed_at, reopening clears it.
 * A case merged into another stays closed: its reporters now belong to the surviving case.
 */
export function statusChange(from: CaseStatus, to: CaseStatus, now: Date, merged = false): Pick<Change, 'status' | 'closedAt'> {
  if (from === to) return {};
  if (merged && !closedStatuses.includes(to)) {
    const message =
      'Dieses Anliegen wurde mit einem anderen zusammengeführt und wird dort weiterbearbeitet. Bitte öffnen Sie das andere Anliegen.';
    throw invalid(message, { status: message });
  }
  if (!statusTransitions[from].includes(to)) {
    const message = `Von „${caseStatusLabels[from]}“ geht es nicht direkt zu „${caseStatusLabels[to]}“.`;
    throw invalid(message, { status: message });
  }
  const wasClosed = closedStatuses.includes(from);
  const isClosed = closedStatuses.includes(to);
  if (isClosed && !wasClosed) return { status: to, closedAt: now };
  if (!isClosed && wasClosed) return { status: to, closedAt: null };
  return { status: to };
}

/** The "Bearbeiten" form: type, category, team, priority, status. Returns whether the actor still sees the case. */
export async function editCase(deps: CasesDeps, actor: StaffActor, caseId: number, input: EditInput) {
  return changeCase(deps, actor, caseId, input.version, async (tx, row) => {
    const change: Change = {};
    const steps: Step[] = [];
    const now = deps.clock.now();
    if (input.type !== row.type) {
      change.type = input.type;
      steps.push({ action: 'type_changed', details: { from: row.type, to: input.type } });
    }
    if (input.categoryId !== row.categoryId) {
      const next = input.categoryId === null ? null : await findCategory(tx, input.categoryId);
      if (input.categoryId !== null && !next)
        throw invalid('Diese Kategorie gibt es nicht.', { categoryId: 'Bitte wählen Sie eine Kategorie aus der Liste.' });
      const prev = row.categoryId === null ? null : await findCategory(tx, row.categoryId);
      change.categoryId = input.categoryId;
      steps.push({ action: 'category_changed', details: { from: prev?.name ?? null, to: next?.name ?? null } });
    }
    if (input.teamId !== row.teamId) {
      const next = input.teamId === null ? null : await findTeam(tx, input.teamId);
      if (input.teamId !== null && !next)
        throw invalid('Dieses Team gibt es nicht.', { teamId: 'Bitte wählen Sie ein Team aus der Liste.' });
      const prev = row.teamId === null ? null : await findTeam(tx, row.teamId);
      change.teamId = input.teamId;
      steps.push({ action: 'team_changed', details: { from: prev?.name ?? null, to: next?.name ?? null, fromTeamId: row.teamId } });
      // The new team decides who works on it; keeping the old assignee would hide it from them.
      if (row.assigneeId !== null) {
        change.assigneeId = null;
        steps.push({ action: 'assigned', details: { to: null, reason: 'Team gewechselt' } });
      }
    }
    if (input.priority !== row.priority) {
      change.priority = input.priority;
      steps.push({ action: 'priority_changed', details: { from: row.priority, to: input.priority } });
    }
    if (input.status !== row.status) {
      Object.assign(change, statusChange(row.status, input.status, now, row.mergedIntoId !== null));
      const note = input.statusNote ?? null;
      steps.push({ action: 'status_changed', details: { from: row.status, to: input.status, ...(note ? { note } : {}) } });
    }
    const teamAfter = change.teamId !== undefined ? change.teamId : row.teamId;
    return { change, steps, result: { stillVisible: canSeeTeam(actor, teamAfter) } };
  });
}

/** Who may be assigned: members of the case's team; for a case in triage, of the actor's teams; admins pick anyone. */
export async function assigneeChoices(db: Db | Tx, actor: Viewer, teamId: number | null) {
  if (actor.role === 'admin') return assignableUsers(db, 'all');
  return assignableUsers(db, teamId === null ? actor.teamIds : [teamId]);
}

export async function assignCase(deps: CasesDeps, actor: StaffActor, caseId: number, input: AssignInput) {
  return changeCase(deps, actor, caseId, input.version, async (tx, row) => {
    let assigneeId: number | null;
    if (input.assignee === 'ich') assigneeId = actor.id;
    else if (input.assignee === 'niemand') assigneeId = null;
    else {
      const choices = await assigneeChoices(tx, actor, row.teamId);
      if (!choices.some((u) => u.id === input.assignee)) {
        throw invalid('Diese Person gehört nicht zum Team dieses Anliegens.', { assignee: 'Bitte wählen Sie eine Person aus der Liste.' });
      }
      assigneeId = input.assignee;
    }
    if (assigneeId === row.assigneeId) return { change: {}, steps: [], result: {} };
    const name = assigneeId === null ? null : assigneeId === actor.id ? actor.displayName : await findUserName(tx, assigneeId);
    return { change: { assigneeId }, steps: [{ action: 'assigned', details: { to: name } }], result: {} };
  });
}

/** Internal note: kind 'note', never shown to citizens (the tracking page lists only public kinds). */
export async function addNote(deps: CasesDeps, actor: StaffActor, caseId: number, input: NoteInput) {
  return changeCase(deps, actor, caseId, input.version, async (tx, row) => {
    await tx.insert(messages).values({
      caseId: row.id,
      kind: 'note',
      channel: row.channel,
      authorUserId: actor.id,
      body: input.body,
      createdAt: deps.clock.now(),
    });
    return { change: {}, steps: [{ action: 'note_added', details: {} }], result: {} };
  });
}

/**
 * Answer the citizen the way they came: the channel adapter writes the outbox item in this
 * transaction (so an answer is never lost nor sent twice); it is delivered after commit.
 * A channel without a way back (phone, fax, no address) still records the answer for the tracking
 * page, and `note` tells the clerk what to do by hand.
 */
export async function replyToCitizen(deps: CasesDeps, actor: StaffActor, caseId: number, input: ReplyInput) {
  // A public answer on a social network is read by everybody: personal data in it is asked about first.
  if (input.visibility && input.visibility !== 'direct' && !input.publicAnyway && findPersonalData(input.body).length > 0) {
    throw invalid(PUBLIC_PERSONAL_DATA, { body: PUBLIC_PERSONAL_DATA });
  }
  const outcome = await changeCase(deps, actor, caseId, input.version, async (tx, row) => {
    const now = deps.clock.now();
    const team = row.teamId === null ? null : await findTeam(tx, row.teamId);
    const forChannel = {
      id: row.id,
      number: row.number,
      channel: row.channel,
      channelAccountId: row.channelAccountId,
      reporterName: row.reporterName,
      contact: await contactRef(tx, row.contactId),
    };
    // Null when its channel has no way back yet: the answer must not be lost, a person takes it on.
    const adapter = deps.channels(forChannel);
    const sent: OutboundResult = adapter
      ? await adapter.reply(tx, forChannel, {
          body: input.body,
          trackingUrl: trackingUrl(deps.config.publicUrl, row.trackingToken),
          staffName: actor.displayName,
          teamName: team?.name ?? null,
          signature: await teamSignature(tx, row.teamId),
          ...(input.visibility ? { visibility: input.visibility } : {}),
        })
      : {
          delivered: false,
          note: `Für den Kanal „${channelLabels[row.channel]}“ ist noch kein Versand eingerichtet: Bitte antworten Sie dort von Hand; die Antwort ist hier und auf der Verfolgen-Seite dokumentiert.`,
        };
    const [message] = await tx
      .insert(messages)
      .values({
        caseId: row.id,
        kind: 'reply',
        channel: row.channel,
        authorUserId: actor.id,
        body: input.body,
        threadKey: sent.threadKey ?? null,
        contactId: forChannel.contact?.id ?? null,
        channelAccountId: row.channelAccountId,
        createdAt: now,
      })
      .returning({ id: messages.id });
    if (message) {
      await emit(tx, 'case.answered', {
        caseId: row.id,
        messageId: message.id,
        channel: row.channel,
        automatic: false,
        actor: actorOf(actor),
        at: now,
      });
    }
    const steps: Step[] = [{ action: 'replied', details: { delivered: sent.delivered, note: sent.note } }];
    let change: Change = {};
    if (input.resolve && row.status !== 'resolved') {
      change = statusChange(row.status, 'resolved', now);
      steps.push({ action: 'status_changed', details: { from: row.status, to: 'resolved' } });
    }
    return { change, steps, result: { delivered: sent.delivered, note: sent.note } };
  });
  return outcome;
}

/** Adds a Schlagwort (kept as typed, compared without case); a tag the case already has changes nothing. */
export async function tagCase(deps: CasesDeps, actor: StaffActor, caseId: number, input: { version: number; tag: string }) {
  return changeCase(deps, actor, caseId, input.version, async (_tx, row) => {
    if (row.tags.some((t) => t.toLowerCase() === input.tag.toLowerCase())) return { change: {}, steps: [], result: {} };
    return { change: { tags: [...row.tags, input.tag] }, steps: [{ action: 'tagged', details: { tag: input.tag } }], result: {} };
  });
}

/**
 * The reporter answered on a page of ours (the fix check): their words join the thread as their own
 * message, and with `reopenWith` a resolved case goes back to work for that reason. Runs in the
 * caller's transaction (which records what led here) with the audit trail, live notice and
 * `case.changed` (SLA clock, public projection) of every other change. A case that is no longer
 * resolved is not moved; it only gets the message.
 */
export async function citizenFollowUp(
  tx: Tx,
  caseId: number,
  p: { comment: string | null; reopenWith: string | null; at: Date },
): Promise<{ reopened: boolean } | null> {
  const row = await lockCase(tx, caseId);
  if (!row) return null;
  const reopen = p.reopenWith !== null && row.status === 'resolved' && row.mergedIntoId === null;
  if (!p.comment && !reopen) return { reopened: false };
  const change: Change = reopen ? statusChange(row.status, 'in_progress', p.at) : {};
  const actions: AuditAction[] = [];
  if (p.comment) {
    await tx.insert(messages).values({
      caseId: row.id,
      kind: 'inbound',
      channel: 'web',
      body: p.comment,
      contactId: row.contactId,
      createdAt: p.at,
    });
    await recordAudit(tx, { caseId: row.id, actor: CITIZEN, action: 'followup_received', details: { channel: 'web' }, at: p.at });
    actions.push('followup_received');
  }
  if (reopen) {
    await recordAudit(tx, {
      caseId: row.id,
      actor: CITIZEN,
      action: 'status_changed',
      details: { from: row.status, to: 'in_progress', reason: p.reopenWith },
      at: p.at,
    });
    actions.push('status_changed');
  }
  await tx
    .update(cases)
    .set({ ...change, updatedAt: p.at, version: sql`${cases.version} + 1` })
    .where(eq(cases.id, row.id));
  await emit(tx, 'case.changed', caseChanged(row, change, { actions, actor: CITIZEN, at: p.at }));
  return { reopened: reopen };
}

export const PUBLIC_PERSONAL_DATA =
  'Die Antwort scheint persönliche Daten zu enthalten (etwa eine Adresse, Telefonnummer oder E-Mail-Adresse) und wäre öffentlich zu sehen. Antworten Sie als Direktnachricht, nehmen Sie die Daten heraus oder bestätigen Sie „Trotzdem öffentlich senden“.';
