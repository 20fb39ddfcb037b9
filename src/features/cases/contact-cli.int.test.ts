import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fileCase } from '../../../test/helpers/cases.ts';
import { runData } from '../../../test/helpers/commands.ts';
import { createTestContext, describeDb, type TestContext } from '../../../test/helpers/context.ts';
import { seedBasics } from '../../../test/helpers/fixtures.ts';
import { EXIT_BAD_INPUT } from '../../infra/commands.ts';
import { auditEvents, cases, contacts } from '../../infra/schema/index.ts';
import { contactLink, contactList, contactShow, contactUnlink } from './contact-commands.ts';

describeDb('amtsblatt contact (commands)', () => {
  let ctx: TestContext;
  let mail: { number: string; contactId: number };
  let phone: { number: string; contactId: number };
  let other: { number: string; contactId: number };

  const filed = async (over: Parameters<typeof fileCase>[1]) => {
    const c = await fileCase(ctx, { type: 'question', ...over });
    const [row] = await ctx.db.select({ contactId: cases.contactId }).from(cases).where(eq(cases.id, c.caseId));
    return { number: c.number, contactId: row?.contactId ?? 0 };
  };

  beforeAll(async () => {
    ctx = await createTestContext();
    await seedBasics(ctx.db);
    mail = await filed({ reporterName: 'Karla Kommando', reporterEmail: 'karla@example.org' });
    phone = await filed({ channel: 'phone', contact: { kind: 'phone', address: '0751 424242', displayName: 'Karla Kommando' } });
    other = await filed({ reporterName: 'Otto Anders', reporterEmail: 'otto@example.org' });
  });
  afterAll(() => ctx.close());

  it('lists the newest contacts, or those matching an exact address or a name prefix', async () => {
    const all = await runData(ctx, contactList, {});
    expect(all).toMatchObject({ exitCode: 0, stderr: '' });
    expect(all.stdout).toMatch(/^Nr\.\s+Art\s+Adresse\s+Name\s+Person\s+Anliegen\s+Erreichbar/);
    expect(all.stdout).toMatch(new RegExp(`${phone.contactId}\\s+Telefon\\s+\\+49751424242\\s+Karla Kommando\\s+eigene\\s+1\\s+ja`));

    const byPhone = await runData(ctx, contactList, { search: '+49 (751) 42 42 42' });
    expect(byPhone.stdout).toContain('+49751424242');
    expect(byPhone.stdout).not.toContain('karla@example.org');
    const byName = await runData(ctx, contactList, { search: 'karl' });
    expect(byName.stdout).toContain('karla@example.org');
    expect(byName.stdout).toContain('+49751424242');
    expect(byName.stdout).not.toContain('otto@example.org');
    const none = await runData(ctx, contactList, { search: 'Niemand' });
    expect(none).toMatchObject({
      exitCode: 0,
      stdout: 'Kein Kontakt passt zu „Niemand“ (gesucht: genaue Adresse oder Anfang des Namens).\n',
    });
  });

  it('links two contacts as one person, shows the group and its cases, and unlinks again; no case audit from the command line', async () => {
    const linked = await runData(ctx, contactLink, { id: String(phone.contactId), other: String(mail.contactId) });
    expect(linked).toMatchObject({ exitCode: 0, stderr: '' });
    const low = Math.min(phone.contactId, mail.contactId);
    expect(linked.stdout).toBe(
      `Verknüpft: Kontakt Nr. ${phone.contactId} und Nr. ${mail.contactId} sind jetzt dieselbe Person (Nr. ${low}, 2 Kontakte).\n`,
    );
    const again = await runData(ctx, contactLink, { id: String(mail.contactId), other: String(phone.contactId) });
    expect(again).toMatchObject({ exitCode: 0 });
    expect(again.stdout).toContain('gehören schon zu derselben Person');

    const show = await runData(ctx, contactShow, { id: String(phone.contactId) });
    expect(show.exitCode).toBe(0);
    expect(show.stdout).toContain(`Kontakt Nr. ${phone.contactId}: Telefon +49751424242`);
    expect(show.stdout).toContain(`Person:    Nr. ${low} (2 Kontakte)`);
    expect(show.stdout).toContain('karla@example.org');
    expect(show.stdout).toMatch(new RegExp(`${mail.number}\\s+neu\\s+\\S+\\s+gemeldet`));
    expect(show.stdout).toMatch(new RegExp(`${phone.number}\\s+neu\\s+\\S+\\s+gemeldet`));
    expect(show.stdout).not.toContain(other.number);

    const unlinked = await runData(ctx, contactUnlink, { id: String(phone.contactId) });
    expect(unlinked).toMatchObject({ exitCode: 0, stdout: `Verknüpfung gelöst: Kontakt Nr. ${phone.contactId} steht wieder für sich.\n` });
    const rows = await ctx.db
      .select()
      .from(contacts)
      .where(inArray(contacts.id, [phone.contactId, mail.contactId]));
    expect(rows.map((r) => r.personId)).toEqual([null, null]);
    const alone = await runData(ctx, contactUnlink, { id: String(phone.contactId) });
    expect(alone).toMatchObject({
      exitCode: 0,
      stdout: `Kontakt Nr. ${phone.contactId} ist mit keinem anderen verknüpft. Nichts geändert.\n`,
    });
    const trail = await ctx.db
      .select()
      .from(auditEvents)
      .where(inArray(auditEvents.action, ['contact_linked', 'contact_unlinked']));
    expect(trail).toHaveLength(0);
  });

  it('refuses unknown contacts, a contact linked to itself and bad numbers in German, with exit code 2', async () => {
    const unknown = await runData(ctx, contactShow, { id: '999999' });
    expect(unknown).toMatchObject({ exitCode: EXIT_BAD_INPUT, stdout: '' });
    expect(unknown.stderr).toBe('Einen Kontakt Nr. 999999 gibt es nicht. Die Nummern zeigt: amtsblatt contact list\n');
    const unknownLink = await runData(ctx, contactLink, { id: String(mail.contactId), other: '999999' });
    expect(unknownLink).toMatchObject({ exitCode: EXIT_BAD_INPUT });
    expect(unknownLink.stderr).toContain('Diesen Kontakt gibt es nicht (mehr).');
    const self = await runData(ctx, contactLink, { id: String(mail.contactId), other: String(mail.contactId) });
    expect(self).toMatchObject({ exitCode: EXIT_BAD_INPUT });
    expect(self.stderr).toContain('nicht mit sich selbst verknüpfen');
    const bad = await runData(ctx, contactUnlink, { id: 'zwölf' });
    expect(bad).toMatchObject({ exitCode: EXIT_BAD_INPUT });
    expect(bad.stderr).toContain('Bitte geben Sie die Nummer des Kontakts als Zahl an');
    const unknownUnlink = await runData(ctx, contactUnlink, { id: '999999' });
    expect(unknownUnlink).toMatchObject({ exitCode: EXIT_BAD_INPUT });
  });
});
