import { z } from 'zod';
import { type CommandContext, defineCommand, textTable } from '../../infra/commands.ts';
import { notFound } from '../../infra/errors.ts';
import type { Actor } from './audit.ts';
import { type ContactLinkDeps, linkContacts, unlinkContact } from './contact-links.ts';
import {
  type ContactSummary,
  casesOfPerson,
  contactsOfPerson,
  contactTotal,
  findContact,
  latestContacts,
  searchContacts,
} from './contact-queries.ts';
import { caseStatusLabels, contactKindLabels } from './labels.ts';
import { formatDate } from './time.ts';

/** `amtsblatt contact …`: the same service functions as the case page's contact panel. */

const depsOf = (ctx: CommandContext): ContactLinkDeps => ({ db: ctx.infra.database.db, clock: ctx.infra.clock, log: ctx.log });
const COMMAND_LINE: Actor = { userId: null, label: 'Kommandozeile' };
const LISTED = 50;
const CASES_LISTED = 50;

const contactId = (what: string) =>
  z.coerce
    .number({ error: `Bitte geben Sie ${what} als Zahl an, z. B. amtsblatt contact show 12` })
    .int(`Bitte geben Sie ${what} als ganze Zahl an.`)
    .positive(`Bitte geben Sie ${what} als positive Zahl an.`);

const unknown = (id: number) => notFound(`Einen Kontakt Nr. ${id} gibt es nicht. Die Nummern zeigt: amtsblatt contact list`);

function contactTable(rows: ContactSummary[]): string {
  return textTable(
    ['Nr.', 'Art', 'Adresse', 'Name', 'Person', 'Anliegen', 'Erreichbar'],
    rows.map((c) => [
      String(c.id),
      contactKindLabels[c.kind],
      c.address,
      c.displayName ?? '–',
      c.personId === c.id ? 'eigene' : `Nr. ${c.personId}`,
      String(c.caseCount),
      c.undeliverableAt ? `nein, seit ${formatDate(c.undeliverableAt)}` : 'ja',
    ]),
  );
}

export const contactList = defineCommand({
  name: 'contact list',
  options: z.object({ search: z.string().trim().max(200, 'Bitte suchen Sie mit höchstens 200 Zeichen.').optional() }),
  async run(ctx, o) {
    const db = ctx.infra.database.db;
    if (o.search) {
      const hits = await searchContacts(db, o.search, LISTED);
      if (hits.length === 0) return `Kein Kontakt passt zu „${o.search}“ (gesucht: genaue Adresse oder Anfang des Namens).\n`;
      return contactTable(hits);
    }
    const [rows, total] = [await latestContacts(db, LISTED), await contactTotal(db)];
    if (rows.length === 0) return 'Noch keine Kontakte.\n';
    const more = total > rows.length ? `\nDie neuesten ${rows.length} von ${total} Kontakten; suchen mit --search.\n` : '';
    return contactTable(rows) + more;
  },
});

export const contactShow = defineCommand({
  name: 'contact show',
  options: z.object({ id: contactId('die Nummer des Kontakts') }),
  async run(ctx, o) {
    const db = ctx.infra.database.db;
    const contact = await findContact(db, o.id);
    if (!contact) throw unknown(o.id);
    const group = await contactsOfPerson(db, contact.personId);
    const kases = await casesOfPerson(db, contact.personId, { limit: CASES_LISTED });
    const roles = { reporter: 'gemeldet', follower: 'folgt', merged: 'als Duplikat übernommen' } as const;
    const lines = [
      `Kontakt Nr. ${contact.id}: ${contactKindLabels[contact.kind]} ${contact.address}`,
      `Name:      ${contact.displayName ?? '–'}`,
      `Person:    Nr. ${contact.personId}${group.length > 1 ? ` (${group.length} Kontakte)` : ' (keine weiteren Kontakte)'}`,
      `Erreichbar: ${contact.undeliverableAt ? `nein, seit ${formatDate(contact.undeliverableAt)}` : 'ja'}`,
      '',
    ];
    const groupText = group.length > 1 ? `Kontakte dieser Person:\n${contactTable(group)}\n` : '';
    const casesText =
      kases.length === 0
        ? 'Anliegen dieser Person: keine\n'
        : `Anliegen dieser Person:\n${textTable(
            ['Nummer', 'Status', 'Eingegangen', 'Rolle'],
            kases.map((k) => [k.number, caseStatusLabels[k.status], formatDate(k.createdAt), roles[k.role]]),
          )}`;
    return `${lines.join('\n')}\n${groupText}${casesText}`;
  },
});

export const contactLink = defineCommand({
  name: 'contact link',
  options: z.object({ id: contactId('die Nummer des Kontakts'), other: contactId('die Nummer des anderen Kontakts') }),
  async run(ctx, o) {
    const done = await linkContacts(depsOf(ctx), { actor: COMMAND_LINE, caseId: null }, o.id, o.other);
    if (done.outcome === 'already') {
      return `Kontakt Nr. ${o.id} und Nr. ${o.other} gehören schon zu derselben Person (Nr. ${done.personId}). Nichts geändert.\n`;
    }
    const size = (await contactsOfPerson(ctx.infra.database.db, done.personId)).length;
    return `Verknüpft: Kontakt Nr. ${o.id} und Nr. ${o.other} sind jetzt dieselbe Person (Nr. ${done.personId}, ${size} Kontakte).\n`;
  },
});

export const contactUnlink = defineCommand({
  name: 'contact unlink',
  options: z.object({ id: contactId('die Nummer des Kontakts') }),
  async run(ctx, o) {
    const done = await unlinkContact(depsOf(ctx), { actor: COMMAND_LINE, caseId: null }, o.id);
    if (done.outcome === 'alone') return `Kontakt Nr. ${o.id} ist mit keinem anderen verknüpft. Nichts geändert.\n`;
    return `Verknüpfung gelöst: Kontakt Nr. ${o.id} steht wieder für sich.\n`;
  },
});

export const contactCommands = [contactList, contactShow, contactLink, contactUnlink];
