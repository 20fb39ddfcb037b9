import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { type CommandContext, defineCommand } from '../../infra/commands.ts';
import type { Db } from '../../infra/db.ts';
import { notFound } from '../../infra/errors.ts';
import { cases } from '../../infra/schema/index.ts';
import type { Actor } from '../cases/audit.ts';
import { linkRelated, unlinkRelated } from '../cases/case-links.ts';
import { mergeCases } from './merge-service.ts';

/**
 * `amtsblatt case merge|link|unlink`: the same services as the case page's "Zusammenführen" and
 * "Verknüpfen" panel, for the town's administration (no team check; the audit says "Kommandozeile").
 */

const COMMAND_LINE: Actor = { userId: null, label: 'Kommandozeile' };

const caseNumber = (what: string) =>
  z
    .string({ error: `Bitte geben Sie ${what} an, z. B. 2026-00042.` })
    .trim()
    .regex(/^\d{4}-\d{5,}$/, `Bitte geben Sie ${what} in der Form 2026-00042 an.`);

const depsOf = (ctx: CommandContext) => ({ db: ctx.infra.database.db, clock: ctx.infra.clock });

async function caseByNumber(db: Db, number: string) {
  const [row] = await db.select({ id: cases.id, version: cases.version }).from(cases).where(eq(cases.number, number));
  if (!row) throw notFound(`Ein Anliegen ${number} gibt es nicht.`);
  return row;
}

export const caseMerge = defineCommand({
  name: 'case merge',
  options: z.object({ number: caseNumber('die Nummer des Duplikats'), into: caseNumber('die Nummer des Anliegens, das weiterläuft') }),
  async run(ctx, o) {
    const db = ctx.infra.database.db;
    const [source, target] = [await caseByNumber(db, o.number), await caseByNumber(db, o.into)];
    const done = await mergeCases(
      depsOf(ctx),
      { commandLine: true },
      { caseId: source.id, version: source.version, otherId: target.id, otherVersion: target.version, into: 'other' },
    );
    return `Zusammengeführt: ${done.sourceNumber} ist jetzt ein Duplikat von ${done.targetNumber}; wer ${done.sourceNumber} gemeldet hat, erfährt die Erledigung von ${done.targetNumber}.\n`;
  },
});

export const caseLink = defineCommand({
  name: 'case link',
  options: z.object({ number: caseNumber('die Nummer des Anliegens'), other: caseNumber('die Nummer des anderen Anliegens') }),
  async run(ctx, o) {
    const here = await caseByNumber(ctx.infra.database.db, o.number);
    const done = await linkRelated(depsOf(ctx), { viewer: null, actor: COMMAND_LINE }, here.id, o.other);
    if (done.outcome === 'already') return `${done.number} und ${done.other} sind schon verknüpft. Nichts geändert.\n`;
    return `Verknüpft: ${done.number} und ${done.other} gehören zusammen (beide bleiben eigene Anliegen).\n`;
  },
});

export const caseUnlink = defineCommand({
  name: 'case unlink',
  options: z.object({ number: caseNumber('die Nummer des Anliegens'), other: caseNumber('die Nummer des anderen Anliegens') }),
  async run(ctx, o) {
    const here = await caseByNumber(ctx.infra.database.db, o.number);
    const done = await unlinkRelated(depsOf(ctx), { viewer: null, actor: COMMAND_LINE }, here.id, o.other);
    if (done.outcome === 'absent') return `${done.number} und ${done.other} sind nicht von Hand verknüpft. Nichts geändert.\n`;
    return `Verknüpfung gelöst: ${done.number} und ${done.other} stehen wieder für sich.\n`;
  },
});

export const caseCommands = [caseMerge, caseLink, caseUnlink];
