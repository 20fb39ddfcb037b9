import { and, eq, type SQL, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../infra/db.ts';
import { executeNamed } from '../../infra/named-query.ts';
import {
  auditEvents,
  type CaseType,
  type ChannelName,
  type ContactKind,
  cases,
  messages,
  outbox,
  type Priority,
  type Visibility,
} from '../../infra/schema/index.ts';
import type { Actor, AuditAction } from '../cases/audit.ts';
import { CASE_CHANNEL } from '../cases/live/notify.ts';
import { lookupReference } from '../cases/reference-data.ts';
import { caseSlaInsertCte, type NewCaseSla } from '../sla/queries.ts';

/** Whether the form may still offer this category; from the cached reference data (see routing). */
export async function isActiveCategory(db: DbOrTx, id: number): Promise<boolean> {
  const category = await lookupReference(db, (ref) => ref.categoriesById.get(id));
  return category?.active === true;
}

export interface NewCaseRow {
  number: { year: string; minDigits: number };
  trackingToken: string;
  channel: ChannelName;
  externalId: string | null;
  type: CaseType | null;
  categoryId: number | null;
  teamId: number | null;
  assigneeId: number | null;
  districtId: number | null;
  priority: Priority;
  /** Set by routing rules; `{}` when none did. */
  tags: string[];
  description: string;
  locationText: string | null;
  lat: number | null;
  lon: number | null;
  reporterName: string | null;
  reporterEmail: string | null;
  consentAt: Date | null;
  /** Found or made as a contact in the same statement; the case points to it. */
  contact: { kind: ContactKind; address: string; displayName: string | null } | null;
  channelAccountId: number | null;
  callbackRequested: boolean;
  /** The channel's own reference of the item (mail: "email:<Message-ID>"), stored on its inbound message for threading. */
  threadKey: string | null;
  /** The mail's "Originalansicht" (intake/inbound.ts), stored on the inbound message. */
  originalText: string | null;
  originalHtml: string | null;
  /** Social networks: who could see it there and where (intake/inbound.ts), stored on the inbound message. */
  visibility: Visibility | null;
  publicUrl: string | null;
  at: Date;
  /** Written in this order, so the trail reads as it happened (ids ascend). */
  audit: { actor: Actor; action: AuditAction; details: Record<string, unknown> }[];
  /** The SLA clock (sla/service.ts slaForNewCase), stored in the same statement; null: no policy applies. */
  sla?: NewCaseSla | null;
}

export type InsertedCase = { id: number; number: string; messageId: number; contactId: number | null };

const ts = (d: Date | null) => (d ? d.toISOString() : null);

/**
 * Stores a new case with its inbound message and audit trail in one statement: one round trip,
 * atomic without an explicit transaction (data-modifying CTEs succeed or fail together).
 *
 * - The number comes from the sequence inside the insert, `YYYY-NNNNN` (more digits once the year
 *   passes 99,999 reports; lpad alone would cut them off).
 * - Idempotency rides on the unique index (channel, external_id): on a repeat the insert does
 *   nothing, nothing else is written, and the caller gets null (the sequence value is skipped, as
 *   on any rollback; numbers may have gaps, never repeats).
 */
export async function insertNewCase(db: DbOrTx, row: NewCaseRow): Promise<InsertedCase | null> {
  if (row.audit.length === 0) throw new Error('a new case needs at least its "created" audit entry');
  const audit: SQL[] = row.audit.map(
    (e, i) => sql`(${i}::int, ${e.actor.userId}::int, ${e.actor.label}::text, ${e.action}::text, ${JSON.stringify(e.details)}::jsonb)`,
  );
  const at = ts(row.at);
  // The pg_notify tells every app process's live updates about the new case, at commit (cases/live/notify.ts).
  const result = await executeNamed<{ id: number; number: string; message_id: number; contact_id: number | null }>(
    db,
    'insert_new_case',
    sql`
    with ${contactCte(row.contact)},
    new_case as (
      insert into cases (number, tracking_token, channel, external_id, type, category_id, team_id, assignee_id, district_id, priority, tags,
                         description, location_text, lat, lon, reporter_name, reporter_email, consent_at, created_at, updated_at,
                         contact_id, channel_account_id, callback_requested)
      values (
        (select ${row.number.year}::text || '-' || lpad(n::text, greatest(${row.number.minDigits}::int, length(n::text)), '0')
           from nextval('case_number_seq') as n),
        ${row.trackingToken}, ${row.channel}, ${row.externalId}, ${row.type}, ${row.categoryId}, ${row.teamId}, ${row.assigneeId}, ${row.districtId}, ${row.priority},
        array(select jsonb_array_elements_text(${JSON.stringify(row.tags)}::jsonb)),
        ${row.description}, ${row.locationText}, ${row.lat}, ${row.lon}, ${row.reporterName}, ${row.reporterEmail},
        ${ts(row.consentAt)}, ${at}, ${at},
        (select id from contact), ${row.channelAccountId}::int, ${row.callbackRequested})
      on conflict (channel, external_id) do nothing
      returning id, number, contact_id
    ),
    inbound as (
      insert into messages (case_id, kind, channel, body, thread_key, contact_id, channel_account_id, created_at, original_text, original_html,
                            visibility, public_url)
      select id, 'inbound', ${row.channel}, ${row.description}, ${row.threadKey}::text, contact_id, ${row.channelAccountId}::int, ${at}::timestamptz,
             ${row.originalText}::text, ${row.originalHtml}::text, ${row.visibility}::text, ${row.publicUrl}::text
        from new_case
      returning id
    ),
    trail as (
      insert into audit_events (case_id, actor_user_id, actor_label, action, details, created_at)
      select new_case.id, e.user_id, e.label, e.action, e.details, ${at}::timestamptz
        from new_case cross join (values ${sql.join(audit, sql`, `)}) as e(ord, user_id, label, action, details)
       order by e.ord
    )${row.sla ? sql`, ${caseSlaInsertCte(row.sla)}` : sql``}
    select new_case.id, new_case.number, inbound.id as message_id, new_case.contact_id,
           pg_notify(${CASE_CHANNEL}, json_build_object('caseId', new_case.id, 'actorUserId', null, 'actorLabel', ${row.audit[0]?.actor.label ?? ''}::text, 'created', true)::text)
      from new_case cross join inbound`,
  );
  const [hit] = result.rows;
  return hit ? { id: hit.id, number: hit.number, messageId: hit.message_id, contactId: hit.contact_id } : null;
}

/**
 * Finds or makes the contact of a new case in the same statement. A name given now replaces none,
 * never an earlier one with nothing. Without a contact the CTE yields no row, so contact_id is null.
 */
function contactCte(contact: NewCaseRow['contact']): SQL {
  if (!contact) return sql`contact as (select null::int as id where false)`;
  return sql`contact as (
      insert into contacts (kind, address, display_name) values (${contact.kind}, ${contact.address}, ${contact.displayName})
      on conflict (kind, address) do update set display_name = coalesce(excluded.display_name, contacts.display_name), updated_at = now()
      returning id
    )`;
}

/** The case an external id already created (the other side of insertNewCase's idempotency). */
export async function caseByExternalId(db: DbOrTx, channel: ChannelName, externalId: string) {
  const [row] = await db
    .select({ id: cases.id, number: cases.number, token: cases.trackingToken })
    .from(cases)
    .where(and(eq(cases.channel, channel), eq(cases.externalId, externalId)));
  return row ?? null;
}

/** The case a message with this thread key already joined (a follow-up that came in before). */
export async function caseByThreadKey(db: DbOrTx, threadKey: string) {
  const [row] = await db
    .select({ id: cases.id, number: cases.number, token: cases.trackingToken })
    .from(messages)
    .innerJoin(cases, eq(cases.id, messages.caseId))
    .where(eq(messages.threadKey, threadKey))
    .limit(1);
  return row ?? null;
}

/** What the thank-you page shows: number, whether a confirmation mail is on its way, photo location used. */
export async function thanksInfo(db: Db, token: string) {
  const [row] = await db
    .select({ id: cases.id, number: cases.number, token: cases.trackingToken })
    .from(cases)
    .where(eq(cases.trackingToken, token));
  if (!row) return null;
  const [mail] = await db.select({ id: outbox.id }).from(outbox).where(eq(outbox.caseId, row.id)).limit(1);
  const [created] = await db
    .select({ details: auditEvents.details })
    .from(auditEvents)
    .where(and(eq(auditEvents.caseId, row.id), eq(auditEvents.action, 'created')))
    .limit(1);
  const details = (created?.details ?? {}) as { locationSource?: string };
  return { number: row.number, token: row.token, mailQueued: Boolean(mail), photoLocationUsed: details.locationSource === 'photo' };
}
