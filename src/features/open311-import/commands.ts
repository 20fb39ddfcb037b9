import { z } from 'zod';
import type { AppDeps } from '../../http/deps.ts';
import { defineCommand } from '../../infra/commands.ts';
import { type ImportDeps, type ImportSummary, importFromSource } from './service.ts';

/** `amtsblatt open311 import URL`: the same import the polling job runs (jobs.ts). */

export const importDepsOf = (infra: AppDeps): ImportDeps => {
  const { queue, storage, clock, log, channels, config } = infra;
  return { db: infra.database.db, queue, storage, clock, log: log.child({ module: 'open311-import' }), channels, config };
};

export function summaryText(s: ImportSummary): string {
  const lines = [
    `${s.source}: ${s.fetched} Meldungen abgerufen, ${s.created} neu übernommen, ${s.existing} schon vorhanden${s.skipped ? `, ${s.skipped} übersprungen (unlesbar oder leer)` : ''}.`,
    s.statusChanges
      ? `${s.statusChanges} Statusänderungen der Quelle als Notiz an den Anliegen vermerkt.`
      : 'Keine Statusänderungen in der Quelle.',
  ];
  if (s.incomplete) {
    lines.push(
      `Achtung: In ${s.incomplete} Minute(n) lieferte die Quelle die Höchstzahl von 1.000 Meldungen – dort fehlen womöglich welche.`,
    );
  }
  return `${lines.join('\n')}\n`;
}

const since = z
  .string()
  .optional()
  .transform((v, ctx) => {
    if (!v) return undefined;
    const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v);
    if (Number.isNaN(d.getTime())) {
      ctx.addIssue({ code: 'custom', message: `„${v.slice(0, 40)}“ ist kein Datum. Beispiel: --since 2026-11-01` });
      return z.NEVER;
    }
    return d;
  });

export const open311Import = defineCommand({
  name: 'open311 import',
  options: z.object({
    url: z
      .string({
        error: 'Bitte geben Sie die Adresse der Schnittstelle an, z. B. amtsblatt open311 import https://example.org/georeport/v2',
      })
      .min(1),
    name: z.string().max(120).optional(),
    serviceCode: z.string().max(100).optional(),
    jurisdiction: z.string().max(100).optional(),
    maxPerResponse: z.coerce
      .number({ error: 'Bitte eine ganze Zahl für --max-per-response angeben.' })
      .int('Bitte eine ganze Zahl für --max-per-response angeben.')
      .min(1, 'Bitte eine ganze Zahl für --max-per-response angeben.')
      .max(1000, 'Mehr als 1.000 je Antwort sieht GeoReport v2 nicht vor.')
      .optional(),
    since,
  }),
  async run(ctx, o) {
    const bar = ctx.progress('Open311');
    const summary = await importFromSource(importDepsOf(ctx.infra), {
      url: o.url,
      name: o.name,
      serviceCode: o.serviceCode,
      jurisdictionId: o.jurisdiction,
      since: o.since,
      maxPerResponse: o.maxPerResponse,
      progress: bar.update,
    });
    bar.done();
    return summaryText(summary);
  },
});

export const open311Commands = [open311Import];
