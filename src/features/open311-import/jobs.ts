import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { JobDefinition } from '../../infra/queue.ts';
import { open311Sources } from '../../infra/schema/index.ts';
import { type ImportDeps, importFromSource } from './service.ts';

/**
 * `open311.poll` every 15 minutes: each enabled source imports what is new since its last run and
 * notes status changes. A failing source keeps its error on its row and does not stop the others.
 */
export function open311ImportJobs(deps: ImportDeps): JobDefinition[] {
  return [
    {
      name: 'open311.poll',
      schema: z.object({}).passthrough(),
      cron: '*/15 * * * *',
      async handler() {
        const sources = await deps.db.select().from(open311Sources).where(eq(open311Sources.enabled, true));
        for (const s of sources) {
          try {
            await importFromSource(deps, { url: s.url });
          } catch (err) {
            deps.log.warn({ source: s.id, err: err instanceof Error ? err.message : 'unknown' }, 'open311 poll failed');
          }
        }
      },
    },
  ];
}
