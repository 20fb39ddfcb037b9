import { randomBytes } from 'node:crypto';
import { and, desc, eq, inArray, or, type SQL, sql } from 'drizzle-orm';
import type { Config } from '../../config.ts';
import type { Clock } from '../../infra/clock.ts';
import type { Db, DbOrTx, Tx } from '../../infra/db.ts';
import { conflict, unavailable } from '../../infra/errors.ts';
import { emit } from '../../infra/events.ts';
import type { Logger } from '../../infra/log.ts';
import type { Queue } from '../../infra/queue.ts';
import { attachments, cases, type FollowupAfterClose, messages, teams } from '../../infra/schema/index.ts';
import type { Storage } from '../../infra/storage.ts';
import { type Actor, CITIZEN, recordAudit, SYSTEM } from '../cases/audit.ts';
import { linkFollowUp, openFollowUpOf } from '../cases/case-links.ts';
import { normaliseAddress, upsertContact } from '../cases/contacts.ts';
import { type CaseCreated, caseChanged } from '../cases/events.ts';
import { closedStatuses } from '../cases/labels.ts';
import { trackingUrl } from '../cases/links.ts';
import type { ChannelRegistry } from '../channels/registry.ts';
import type { ContactRef } from '../channels/types.ts';
import { duplicateSuggestion } from '../duplicates/suggest.ts';
import type { Prediction } from '../routing/classifier/classifier.ts';
import { applyPrediction, predictForIntake } from '../routing/classifier/intake-step.ts';
import { insertHint } from '../routing/hints/queries.ts';
import { applyRulesOnCreate } from '../routing/rules/apply.ts';
import { acknowledgementBody, enqueueNotifications, hasRuleMails } from '../routing/rules/effects.ts';
import { scheduleSlaChecks } from '../sla/jobs.ts';
import { type SlaTimer, slaForNewCase, slaTimers } from '../sla/service.ts';
import { nextRoundRobinAssignee, teamWorksRoundRobin } from '../templates/round-robin.ts';
import { type Inbound, inboundSchema } from './inbound.ts';
import { removeStoredPhotos } from './photos.ts';
import { caseByExternalId, caseByThreadKey, type InsertedCase, insertNewCase, type NewCaseRow } from './queries.ts';

export interface IntakeDeps {
  db: Db;
  queue: Queue;
  storage: Storage;
  clock: Clock;
  log: Logger;
  channels: ChannelRegistry;
  config: Pick<Config, 'publicUrl' | 'bundesland' | 'classifierMinConfidence'>;
}

export type IntakeResult =
  | { outcome: 'created'; caseId: number; number: string; trackingToken: string }
  /** The same item came in again (double submit, replayed mail): nothing new was stored. */
  | { outcome: 'duplicate'; caseId: number; number: string; trackingToken: string }
  /** A follow-up to an existing case (reply to one of our mails): appended to its thread. */
  | { outcome: 'followup'; caseId: number; number: string; trackingToken: string };

type Normalised = ReturnType<typeof inboundSchema.parse>;
type Stored = { result: IntakeResult; slaTimers?: SlaTimer[] };

const berlinYear = new Intl.DateTimeFormat('en', { timeZone: 'Europe/Berlin', year: 'numeric' });
const ROUND_ROBIN: Actor = { userId: null, label: 'Verteilung reihum' };

/**
 * The single pipeline every inbound message passes, whatever its channel:
 * normalise → idempotency → threading → decide (routing) → store → acknowledge.
 *
 * A new report without anything to send back is stored in one statement (insertNewCase: case,
 * inbound message and audit trail together, idempotent on the external id). Photos and an
 * acknowledgement mail need more statements, so then a transaction wraps them.
 */
export async function receive(deps: IntakeDeps, raw: Inbound): Promise<IntakeResult> {
  const input = inboundSchema.parse(raw);
  const now = input.receivedAt ?? deps.clock.now();
  try {
    // Predicted before any transaction: the model lookup must not wait behind our own writes.
    const prediction = await predictForIntake(
      { db: deps.db, log: deps.log, minConfidence: deps.config.classifierMinConfidence },
      { text: input.description, lat: input.lat, lon: input.lon },
    );
    const { result, slaTimers: timers = [] } =
      input.threadKeys.length > 0 || input.caseNumber
        ? await receiveInThread(deps, input, now, prediction)
        : await createCase(deps, deps.db, input, now, prediction);
    await scheduleSlaChecks(deps.queue, timers);
    if (result.outcome !== 'created') await removeStoredPhotos(deps, input.photos);
    return result;
  } catch (err) {
    // Nothing half-saved: the statement or transaction rolled back, so the files it would have referenced go too.
    await removeStoredPhotos(deps, input.photos);
    throw err;
  }
}

/** A mail answering another (In-Reply-To/References) may belong to a case we already have. */
function receiveInThread(deps: IntakeDeps, input: Normalised, now: Date, prediction: Prediction | null): Promise<Stored> {
  return deps.db.transaction(async (tx) => {
    // Checked before threading: a replayed follow-up that once created a case must not join another.
    const existing =
      (input.externalId ? await caseByExternalId(tx, input.channel, input.externalId) : null) ??
      (input.threadKey ? await caseByThreadKey(tx, input.threadKey) : null);
    if (existing) return { result: duplicateOf(existing) };
    const hit = await threadedCase(tx, input);
    if (!hit) return createCase(deps, tx, input, now, prediction);
    if (!closedStatuses.includes(hit.status) || hit.followupAfterClose !== 'new_case') return appendFollowup(tx, input, now, hit);
    // The team keeps closed cases closed: the citizen's message opens a new case, linked to the old
    // one. Further messages to the old thread join that new case while it is open.
    const openFollowUp = await openFollowUpOf(tx, hit.caseId);
    if (openFollowUp) return appendFollowup(tx, input, now, openFollowUp);
    const stored = await createCase(deps, tx, input, now, prediction, hit.caseId);
    if (stored.result.outcome === 'created') {
      await linkFollowUp(tx, { closed: hit, opened: stored.result, at: now });
    }
    return stored;
  });
}

const duplicateOf = (c: { id: number; number: string; token: string }): IntakeResult => ({
  outcome: 'duplicate',
  caseId: c.id,
  number: c.number,
  trackingToken: c.token,
});

async function createCase(
  deps: IntakeDeps,
  db: DbOrTx,
  input: Normalised,
  now: Date,
  prediction: Prediction | null,
  followUpOf: number | null = null,
): Promise<Stored> {
  // Decide: everything about the new case that needs no write (classifier, rules and default
  // routing, round-robin, duplicate check, SLA due times), each adding to the row and to its audit
  // entries, so the store below stays one write.
  const contact = contactOf(input);
  const adapter = deps.channels({ channel: input.channel, contact });
  if (!adapter) throw unavailable(`Für den Kanal „${input.channel}“ ist noch kein Versand eingerichtet.`);
  // Routing rules first; the default routing (category team, else type team) decides when no rule chose a team.
  // The classifier fills what the citizen left open when it is confident; rules then see the result.
  const classified = await applyPrediction(db, prediction, { type: input.type, categoryId: input.categoryId });
  const decision = await applyRulesOnCreate(db, {
    channel: input.channel,
    type: classified.type,
    categoryId: classified.categoryId,
    classifierTeam: classified.team,
    ...(prediction ? { prediction } : {}),
    description: input.description,
    lat: input.lat,
    lon: input.lon,
    reporterEmail: input.reporterEmail,
    receivedAt: now,
    accountTeamId: input.defaultTeamId,
  });
  const decided = decision.fields;
  // A team that works round-robin gets the case assigned to its next member right away (unless a rule assigned it).
  const roundRobin =
    decided.teamId === null || decided.assigneeId !== null || !(await teamWorksRoundRobin(db, decided.teamId))
      ? null
      : await nextRoundRobinAssignee(db, decided.teamId);
  // Duplicate check: similar open reports nearby are noted for staff (the web form asked the citizen already).
  const duplicates = await duplicateSuggestion(db, { ...input, categoryId: decided.categoryId, text: input.description, now });
  const sla = await slaForNewCase(
    db,
    { teamId: decided.teamId, type: decided.type, priority: decided.priority, policyId: decision.sla?.policyId ?? null },
    now,
    deps.config.bundesland,
  );
  const token = randomBytes(24).toString('base64url');
  const row: NewCaseRow = {
    number: { year: berlinYear.format(now), minDigits: 5 },
    trackingToken: token,
    channel: input.channel,
    externalId: input.externalId,
    type: decided.type,
    categoryId: decided.categoryId,
    teamId: decided.teamId,
    assigneeId: roundRobin?.id ?? decided.assigneeId,
    districtId: decided.districtId,
    priority: decided.priority,
    tags: decided.tags,
    description: input.description,
    locationText: input.locationText,
    lat: input.lat,
    lon: input.lon,
    reporterName: input.reporterName,
    reporterEmail: input.reporterEmail,
    consentAt: input.consentAt,
    contact: contact && { kind: contact.kind, address: contact.address, displayName: contact.displayName },
    channelAccountId: input.channelAccountId,
    callbackRequested: input.callbackRequested,
    threadKey: input.threadKey,
    originalText: input.originalText,
    originalHtml: input.originalHtml,
    visibility: input.visibility,
    publicUrl: input.publicUrl,
    at: now,
    audit: [
      {
        actor: CITIZEN,
        action: 'created',
        details: { channel: input.channel, ...(input.locationSource ? { locationSource: input.locationSource } : {}) },
      },
      ...classified.audit,
      ...decision.audit,
      ...(roundRobin
        ? [{ actor: ROUND_ROBIN, action: 'assigned' as const, details: { to: roundRobin.name, reason: 'reihum im Team' } }]
        : []),
      ...(sla ? [sla.audit] : []),
      ...duplicates,
    ],
    sla: sla?.row ?? null,
  };
  const timersOf = (id: number) => (sla ? slaTimers(id, sla.row) : []);

  // Store.
  const acknowledges = input.autoReply && adapter.writesAcknowledgement?.({ contact }) !== false;
  const onlyTheCase =
    input.photos.length === 0 &&
    input.files.length === 0 &&
    input.moreContacts.length === 0 &&
    input.intakeNotes.length === 0 &&
    !acknowledges &&
    !hasRuleMails(decision) &&
    !decision.hint;
  const createdEvent = (c: InsertedCase): CaseCreated => ({
    caseId: c.id,
    number: c.number,
    channel: input.channel,
    teamId: row.teamId,
    categoryId: row.categoryId,
    type: row.type,
    priority: row.priority,
    followUpOf,
    at: now,
  });
  if (onlyTheCase) {
    const inserted = await insertNewCase(db, row);
    if (!inserted) return duplicate(db, input);
    // On the plain handle the statement has committed, so subscribers hear of a case that exists;
    // inside a caller's transaction the event waits for its commit.
    await emit(db, 'case.created', createdEvent(inserted));
    return created(inserted, token, timersOf(inserted.id));
  }
  return db.transaction(async (tx) => {
    const inserted = await insertNewCase(tx, row);
    if (!inserted) return duplicate(tx, input);
    await emit(tx, 'case.created', createdEvent(inserted));
    if (decision.hint) await insertHint(tx, inserted.id, decision.hint, now);
    await storeAttachments(tx, input, inserted.id, inserted.messageId, now);
    for (const more of input.moreContacts) await upsertContact(tx, more, inserted.contactId);
    for (const note of input.intakeNotes) {
      await tx.insert(messages).values({ caseId: inserted.id, kind: 'note', channel: input.channel, body: note, createdAt: now });
    }
    const forChannel = {
      id: inserted.id,
      number: inserted.number,
      channel: input.channel,
      channelAccountId: input.channelAccountId,
      reporterName: input.reporterName,
      contact: contact && { ...contact, id: inserted.contactId },
    };
    if (acknowledges) {
      const body = acknowledgementBody(decision, forChannel, sla?.row.resolutionDueAt ?? null);
      const ack = await adapter.acknowledge(tx, forChannel, {
        trackingUrl: trackingUrl(deps.config.publicUrl, token),
        ...(body ? { body } : {}),
      });
      if (ack.threadKey) {
        await tx.insert(messages).values({
          caseId: inserted.id,
          kind: 'auto',
          channel: input.channel,
          body: `Eingangsbestätigung: ${ack.note}`,
          threadKey: ack.threadKey,
          contactId: inserted.contactId,
          channelAccountId: input.channelAccountId,
          createdAt: now,
        });
      }
    }
    await enqueueNotifications(tx, { ...inserted, description: input.description }, decision.notify, deps.config);
    return created(inserted, token, timersOf(inserted.id));
  });
}

/** Who the report is from: the channel's contact, else the e-mail address the form asked for. */
function contactOf(input: Normalised): ContactRef | null {
  const given =
    input.contact ??
    (input.reporterEmail ? { kind: 'email' as const, address: input.reporterEmail, displayName: input.reporterName } : null);
  if (!given) return null;
  return {
    id: null,
    kind: given.kind,
    address: normaliseAddress(given.kind, given.address),
    displayName: given.displayName,
    undeliverable: false,
  };
}

/** Photos (already through the photo pipeline) and files (PDFs, documents) of one inbound message. */
async function storeAttachments(tx: Tx, input: Normalised, caseId: number, messageId: number | null, now: Date): Promise<void> {
  const rows = [
    ...input.photos.map((p) => ({ ...p, kind: 'photo' as const, caseId, messageId, createdAt: now })),
    ...input.files.map((f) => ({ ...f, kind: 'file' as const, caseId, messageId, createdAt: now })),
  ];
  if (rows.length > 0) await tx.insert(attachments).values(rows);
}

const created = (c: InsertedCase, token: string, timers: SlaTimer[]): Stored => ({
  result: { outcome: 'created', caseId: c.id, number: c.number, trackingToken: token },
  slaTimers: timers,
});

/** The insert met the unique (channel, external id): the same item came in before. */
async function duplicate(db: DbOrTx, input: Normalised): Promise<Stored> {
  const existing = input.externalId ? await caseByExternalId(db, input.channel, input.externalId) : null;
  // Only a concurrent delete of that very case gets here; the caller's transaction (if any) rolls back.
  if (!existing) throw conflict('Diese Meldung wurde gerade parallel verarbeitet. Bitte senden Sie sie noch einmal.');
  return { result: duplicateOf(existing) };
}

/**
 * Which case an answer belongs to: one whose messages carry a thread key it names (our mail it
 * answers), or the case number it names, but the number only from the case's own contact, so that
 * nobody can write into someone else's case by typing its number into a subject.
 */
function threadMatch(input: Normalised): SQL {
  const byKey = input.threadKeys.length > 0 ? inArray(messages.threadKey, input.threadKeys) : undefined;
  const contact = contactOf(input);
  const byNumber =
    input.caseNumber && contact
      ? and(
          eq(cases.number, input.caseNumber),
          sql`${cases.contactId} in (select id from contacts where kind = ${contact.kind} and address = ${contact.address})`,
        )
      : undefined;
  return or(byKey, byNumber) ?? sql`false`;
}

type ThreadedCase = NonNullable<Awaited<ReturnType<typeof threadedCase>>>;

/** The case an answer threads to (threadMatch), with what deciding and appending need. */
async function threadedCase(tx: Tx, input: Normalised) {
  const [hit] = await tx
    .select({
      caseId: messages.caseId,
      number: cases.number,
      token: cases.trackingToken,
      status: cases.status,
      teamId: cases.teamId,
      type: cases.type,
      priority: cases.priority,
      categoryId: cases.categoryId,
      followupAfterClose: sql<FollowupAfterClose>`coalesce(${teams.followupAfterClose}, 'reopen')`,
    })
    .from(messages)
    .innerJoin(cases, eq(cases.id, messages.caseId))
    .leftJoin(teams, eq(teams.id, cases.teamId))
    .where(threadMatch(input))
    .orderBy(desc(messages.id))
    .limit(1);
  return hit ?? null;
}

/**
 * A reply to one of our mails joins its case; a closed case reopens (unless its team opens a new
 * case instead, see receiveInThread), as the citizen is still talking, and a case waiting on the
 * citizen goes back to work, which restarts its SLA clock (the `case.changed` subscriber).
 */
async function appendFollowup(tx: Tx, input: Normalised, now: Date, hit: Omit<ThreadedCase, 'followupAfterClose'>): Promise<Stored> {
  const contact = contactOf(input);
  const contactId = contact ? await upsertContact(tx, contact) : null;
  const [message] = await tx
    .insert(messages)
    .values({
      caseId: hit.caseId,
      kind: 'inbound',
      channel: input.channel,
      body: input.description,
      threadKey: input.threadKey,
      contactId,
      channelAccountId: input.channelAccountId,
      originalText: input.originalText,
      originalHtml: input.originalHtml,
      visibility: input.visibility,
      publicUrl: input.publicUrl,
      createdAt: now,
    })
    .returning({ id: messages.id });
  await storeAttachments(tx, input, hit.caseId, message?.id ?? null, now);
  for (const note of input.intakeNotes) {
    await tx.insert(messages).values({ caseId: hit.caseId, kind: 'note', channel: input.channel, body: note, createdAt: now });
  }
  const reopen = closedStatuses.includes(hit.status) || hit.status === 'waiting';
  await tx
    .update(cases)
    .set({ updatedAt: now, version: sql`${cases.version} + 1`, ...(reopen ? { status: 'in_progress' as const, closedAt: null } : {}) })
    .where(eq(cases.id, hit.caseId));
  await recordAudit(tx, { caseId: hit.caseId, actor: CITIZEN, action: 'followup_received', details: { channel: input.channel }, at: now });
  if (reopen)
    await recordAudit(tx, {
      caseId: hit.caseId,
      actor: SYSTEM,
      action: 'status_changed',
      details: {
        from: hit.status,
        to: 'in_progress',
        reason: hit.status === 'waiting' ? 'Rückmeldung ist da' : 'Neue Nachricht zu einem abgeschlossenen Anliegen',
      },
      at: now,
    });
  const actions = reopen ? ['followup_received', 'status_changed'] : ['followup_received'];
  await emit(
    tx,
    'case.changed',
    caseChanged({ id: hit.caseId, ...hit }, reopen ? { status: 'in_progress' } : {}, { actions, actor: CITIZEN, at: now }),
  );
  return { result: { outcome: 'followup', caseId: hit.caseId, number: hit.number, trackingToken: hit.token } };
}
