import { z } from 'zod';
import type { JobDefinition } from '../../../infra/queue.ts';
import { councilSources } from '../../../infra/schema/index.ts';
import { type PollDeps, pollAllCalendarSources } from './calendar-sources.ts';
import { importCouncil } from './council.ts';

/** Each calendar URL every 30 minutes (conditional GET), the council documents every night. */
export const calendarPollJob = { name: 'editorial.calendar-poll', schema: z.object({}).passthrough() };
export const councilImportJob = { name: 'editorial.council-import', schema: z.object({}).passthrough() };

export function importJobs(deps: PollDeps): JobDefinition[] {
  return [
    { ...calendarPollJob, cron: '*/30 * * * *', handler: () => pollAllCalendarSources(deps) },
    {
      ...councilImportJob,
      cron: '17 3 * * *',
      // Idempotent: every object is upserted by its OParl id, the cursor only moves after a saved page.
      async handler() {
        for (const s of await deps.db.select({ id: councilSources.id }).from(councilSources)) await importCouncil(deps, s.id);
      },
    },
  ];
}
