import { eq, isNotNull } from 'drizzle-orm';
import { AppError } from '../../../infra/errors.ts';
import type { Logger } from '../../../infra/log.ts';
import { calendarSources } from '../../../infra/schema/index.ts';
import { getText } from './http-get.ts';
import { type IdeasDeps, importCalendar } from './ideas.ts';

export const ICS_MAX_BYTES = 2 * 1024 * 1024;

export interface PollDeps extends IdeasDeps {
  log: Logger;
  fetchImpl?: typeof fetch;
}

/**
 * Polls one calendar URL: a conditional GET (ETag, Last-Modified), then the import. A failure is
 * stored on the source in German and leaves its ideas as they were.
 */
export async function pollCalendarSource(deps: PollDeps, sourceId: number): Promise<'imported' | 'unchanged' | 'failed'> {
  const [source] = await deps.db.select().from(calendarSources).where(eq(calendarSources.id, sourceId));
  if (!source?.url) return 'unchanged';
  const headers: Record<string, string> = { accept: 'text/calendar' };
  if (source.etag) headers['if-none-match'] = source.etag;
  if (source.lastModified) headers['if-modified-since'] = source.lastModified;
  try {
    const got = await getText(source.url, { headers, maxBytes: ICS_MAX_BYTES, ...(deps.fetchImpl ? { fetchImpl: deps.fetchImpl } : {}) });
    if (got.notModified) {
      await deps.db
        .update(calendarSources)
        .set({ lastPolledAt: deps.clock.now(), lastError: null })
        .where(eq(calendarSources.id, sourceId));
      return 'unchanged';
    }
    if (got.status >= 400) throw new AppError('Unavailable', `Der Kalender antwortet mit HTTP ${got.status}.`);
    await importCalendar(deps, sourceId, got.text);
    await deps.db
      .update(calendarSources)
      .set({ etag: got.headers.get('etag'), lastModified: got.headers.get('last-modified') })
      .where(eq(calendarSources.id, sourceId));
    return 'imported';
  } catch (err) {
    const reason = err instanceof AppError ? err.message : 'Der Kalender ließ sich nicht abrufen.';
    await deps.db
      .update(calendarSources)
      .set({ lastError: reason, lastPolledAt: deps.clock.now() })
      .where(eq(calendarSources.id, sourceId));
    deps.log.warn({ source: sourceId, reason }, 'calendar poll failed');
    return 'failed';
  }
}

export async function pollAllCalendarSources(deps: PollDeps): Promise<void> {
  const sources = await deps.db.select({ id: calendarSources.id }).from(calendarSources).where(isNotNull(calendarSources.url));
  for (const s of sources) await pollCalendarSource(deps, s.id);
}
