import { and, desc, eq, like, notInArray } from 'drizzle-orm';
import { AppError } from '../../infra/errors.ts';
import { auditEvents, cases, categories, messages, open311Sources } from '../../infra/schema/index.ts';
import { recordAudit } from '../cases/audit.ts';
import { closedStatuses } from '../cases/labels.ts';
import { clipDescription, LIMITS } from '../intake/inbound.ts';
import { type IntakeDeps, receive } from '../intake/service.ts';
import { fetchRequests, requestsBetween, type ServiceRequest } from './georeport.ts';

/**
 * Imports service requests from another GeoReport v2 endpoint (a neighbouring town, the county)
 * into the inbox: each becomes a case through the one intake pipeline (channel "open311", the
 * source's id as external id, so a second run imports nothing twice), and a later change of its
 * status at the source is written onto the case as an internal note. Our own status is not
 * changed: the source closing a request is a hint for staff, not their decision.
 */

export type ImportDeps = IntakeDeps;

export interface ImportOptions {
  url: string;
  name?: string | undefined;
  serviceCode?: string | undefined;
  jurisdictionId?: string | undefined;
  /** Reported at or after; default: where the last run stopped, else the spec's 90 days. */
  since?: Date | undefined;
  /** The source's own cap per answer when it is below the spec's 1,000 (kept on the source). */
  maxPerResponse?: number | undefined;
  progress?: (done: number, total: number, step: string) => void;
  fetchImpl?: typeof fetch;
}

export interface ImportSummary {
  source: string;
  fetched: number;
  created: number;
  existing: number;
  skipped: number;
  statusChanges: number;
  /** Windows of one minute that still held the spec's maximum of 1,000: some may be missing. */
  incomplete: number;
}

const DAY = 86_400_000;
/** The last run's newest report minus this: a report that arrived late at the source is not missed. */
const OVERLAP_MS = DAY;
const ID_BATCH = 50;

const externalIdOf = (sourceId: number, requestId: string) => `open311:${sourceId}:${requestId}`;
const sourceStatusLabel = (s: 'open' | 'closed') => (s === 'closed' ? 'erledigt' : 'offen');
/** " – the source's note", without its closing full stop (the sentence adds its own). */
const noteOf = (notes: string | null) => (notes ? ` – ${notes.replace(/[.\s]+$/, '')}` : '');

function checkedUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AppError('Invalid', `„${raw.slice(0, 100)}“ ist keine Adresse. Beispiel: https://example.org/georeport/v2`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new AppError('Invalid', 'Die Adresse muss mit https:// oder http:// beginnen.');
  if (url.username || url.password) throw new AppError('Invalid', 'Bitte keine Zugangsdaten in die Adresse schreiben.');
  return url.toString().replace(/\/+$/, '');
}

async function sourceFor(deps: ImportDeps, o: ImportOptions) {
  const url = checkedUrl(o.url);
  const name = o.name?.trim() || new URL(url).host;
  const [row] = await deps.db
    .insert(open311Sources)
    .values({
      name,
      url,
      serviceCode: o.serviceCode ?? null,
      jurisdictionId: o.jurisdictionId ?? null,
      settings: o.maxPerResponse ? { maxPerResponse: o.maxPerResponse } : {},
    })
    .onConflictDoUpdate({
      target: open311Sources.url,
      set: {
        url,
        ...(o.name ? { name } : {}),
        ...(o.serviceCode !== undefined ? { serviceCode: o.serviceCode } : {}),
        ...(o.jurisdictionId !== undefined ? { jurisdictionId: o.jurisdictionId } : {}),
        ...(o.maxPerResponse ? { settings: { maxPerResponse: o.maxPerResponse } } : {}),
      },
    })
    .returning();
  if (!row) throw new Error('open311 source not stored');
  return row;
}

function intakeNotes(sourceName: string, r: Request): string[] {
  const when = r.requestedDatetime ? ` am ${r.requestedDatetime.toLocaleString('de-DE', { timeZone: 'Europe/Berlin' })}` : '';
  const notes = [
    `Übernommen aus ${sourceName} (Open311): Meldung ${r.id}${r.serviceName ? ` „${r.serviceName}“` : ''}, dort gemeldet${when}, Status dort: ${sourceStatusLabel(r.status)}${noteOf(r.statusNotes)}.`,
  ];
  if (r.mediaUrl && /^https?:\/\//i.test(r.mediaUrl)) notes.push(`Foto der Quelle (nicht heruntergeladen): ${r.mediaUrl}`);
  return notes.map((n) => n.slice(0, 500));
}

/** The request in the names this module uses, with the spec's snake_case kept at the edge. */
function normalise(r: ServiceRequest) {
  return {
    id: r.service_request_id,
    status: r.status as 'open' | 'closed',
    statusNotes: r.status_notes,
    serviceName: r.service_name,
    serviceCode: r.service_code,
    description: r.description,
    requestedDatetime: r.requested_datetime,
    address: r.address,
    lat: r.lat !== null && Math.abs(r.lat) <= 90 ? r.lat : null,
    lon: r.long !== null && Math.abs(r.long) <= 180 ? r.long : null,
    mediaUrl: r.media_url,
  };
}
type Request = ReturnType<typeof normalise>;

export async function importFromSource(deps: ImportDeps, o: ImportOptions): Promise<ImportSummary> {
  const source = await sourceFor(deps, o);
  const now = deps.clock.now();
  const from = o.since ?? (source.cursor ? new Date(source.cursor.getTime() - OVERLAP_MS) : new Date(now.getTime() - 90 * DAY));
  const cats = await deps.db.select({ id: categories.id, slug: categories.slug, name: categories.name }).from(categories);
  const categoryOf = (r: Request) =>
    cats.find((c) => (r.serviceCode && c.slug === r.serviceCode) || (r.serviceName && c.name.toLowerCase() === r.serviceName.toLowerCase()))
      ?.id ?? null;
  const summary: ImportSummary = { source: source.name, fetched: 0, created: 0, existing: 0, skipped: 0, statusChanges: 0, incomplete: 0 };
  let cursor = source.cursor;
  const span = Math.max(1, now.getTime() - from.getTime());
  try {
    for await (const batch of requestsBetween(
      source.url,
      {
        from,
        to: now,
        serviceCode: source.serviceCode,
        jurisdictionId: source.jurisdictionId,
        maxPerResponse: (source.settings as { maxPerResponse?: number }).maxPerResponse,
      },
      o.fetchImpl,
    )) {
      summary.fetched += batch.requests.length;
      summary.skipped += batch.skipped;
      if (batch.incomplete) summary.incomplete++;
      for (const raw of batch.requests) {
        const r = normalise(raw);
        const outcome = await importOne(deps, source, r, categoryOf(r));
        if (outcome === 'created') summary.created++;
        else if (outcome === 'existing') summary.existing++;
        else summary.skipped++;
        if (r.requestedDatetime && (!cursor || r.requestedDatetime > cursor)) cursor = r.requestedDatetime;
      }
      o.progress?.(batch.window.to.getTime() - from.getTime(), span, 'Meldungen abrufen');
    }
    summary.statusChanges = await refreshStatuses(deps, source, o.fetchImpl);
    await deps.db.update(open311Sources).set({ cursor, lastRunAt: now, lastError: null }).where(eq(open311Sources.id, source.id));
    return summary;
  } catch (err) {
    const message = err instanceof AppError ? err.message : 'Unerwarteter Fehler beim Abruf.';
    await deps.db.update(open311Sources).set({ lastRunAt: now, lastError: message }).where(eq(open311Sources.id, source.id));
    throw err;
  }
}

async function importOne(
  deps: ImportDeps,
  source: { id: number; name: string },
  r: Request,
  categoryId: number | null,
): Promise<'created' | 'existing' | 'skipped'> {
  const notes: string[] = intakeNotes(source.name, r);
  const description = clipDescription(r.description ?? r.serviceName ?? 'Ohne Beschreibung', notes);
  try {
    const result = await receive(deps, {
      channel: 'open311',
      externalId: externalIdOf(source.id, r.id),
      type: 'defect',
      categoryId,
      description,
      locationText: r.address ? r.address.replace(/\s+/g, ' ').slice(0, LIMITS.location) : null,
      lat: r.lat,
      lon: r.lon,
      reporterName: null,
      reporterEmail: null,
      consentAt: null,
      autoReply: false,
      intakeNotes: notes.slice(0, 20),
      ...(r.requestedDatetime ? { receivedAt: r.requestedDatetime } : {}),
    });
    if (result.outcome === 'created') {
      // The status the source had at import, so a later change is recognised as one.
      await recordAudit(deps.db, {
        caseId: result.caseId,
        actor: { userId: null, label: source.name },
        action: 'source_status',
        details: { status: r.status, notes: r.statusNotes },
      });
      return 'created';
    }
    return 'existing';
  } catch (err) {
    // A request our pipeline refuses (control characters, an empty text …) is skipped, by id only:
    // its text may hold personal data and stays out of the log.
    deps.log.warn({ requestId: r.id, source: source.id, err: err instanceof Error ? err.name : 'unknown' }, 'open311 request skipped');
    return 'skipped';
  }
}

/** Asks the source again for our still open imported cases, by id, and notes each change of status. */
async function refreshStatuses(
  deps: ImportDeps,
  source: { id: number; name: string; url: string },
  fetchImpl?: typeof fetch,
): Promise<number> {
  const prefix = externalIdOf(source.id, '');
  const open = await deps.db
    .select({ id: cases.id, externalId: cases.externalId })
    .from(cases)
    .where(and(eq(cases.channel, 'open311'), like(cases.externalId, `${prefix}%`), notInArray(cases.status, [...closedStatuses])));
  const byRequest = new Map(open.map((c) => [(c.externalId ?? '').slice(prefix.length), c.id]));
  let changes = 0;
  const ids = [...byRequest.keys()];
  for (let i = 0; i < ids.length; i += ID_BATCH) {
    const { requests } = await fetchRequests(source.url, { ids: ids.slice(i, i + ID_BATCH) }, fetchImpl);
    for (const raw of requests) {
      const r = normalise(raw);
      const caseId = byRequest.get(r.id);
      if (caseId !== undefined && (await noteStatusChange(deps, source.name, caseId, r))) changes++;
    }
  }
  return changes;
}

async function noteStatusChange(deps: ImportDeps, sourceName: string, caseId: number, r: Request): Promise<boolean> {
  return deps.db.transaction(async (tx) => {
    const [last] = await tx
      .select({ details: auditEvents.details })
      .from(auditEvents)
      .where(and(eq(auditEvents.caseId, caseId), eq(auditEvents.action, 'source_status')))
      .orderBy(desc(auditEvents.createdAt), desc(auditEvents.id))
      .limit(1);
    const before = (last?.details ?? {}) as { status?: string; notes?: string | null };
    if (before.status === r.status && (before.notes ?? null) === r.statusNotes) return false;
    const actor = { userId: null, label: sourceName };
    const body = `${sourceName} meldet für Meldung ${r.id}: Status ${sourceStatusLabel(r.status)}${noteOf(r.statusNotes)}.${
      r.status === 'closed' ? ' Bitte prüfen Sie, ob das Anliegen auch hier erledigt ist.' : ''
    }`;
    await tx.insert(messages).values({ caseId, kind: 'note', channel: 'open311', body: body.slice(0, 5000) });
    await recordAudit(tx, { caseId, actor, action: 'source_status', details: { status: r.status, notes: r.statusNotes } });
    return true;
  });
}
