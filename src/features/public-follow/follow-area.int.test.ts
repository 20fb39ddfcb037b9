import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fileCase } from '../../../test/helpers/cases.ts';
import { createTestContext, describeDb, type TestContext } from '../../../test/helpers/context.ts';
import { seedBasics } from '../../../test/helpers/fixtures.ts';
import { outboxMails } from '../../../test/helpers/outbox.ts';
import { publishForTest } from '../../../test/helpers/public-cases.ts';
import { confirmByMail, postFollowForm, runFollowJob } from '../../../test/helpers/public-follow.ts';
import { fixedClock } from '../../infra/clock.ts';
import { contacts, publicSubscriptions } from '../../infra/schema/index.ts';
import { COMMIT_LAG_MS } from './notify.ts';
import { PENDING_PER_ADDRESS_PER_DAY } from './service.ts';

describeDb('Area alerts: new public reports in a district or around a point', () => {
  const clock = fixedClock(new Date('2026-04-01T08:00:00Z'));
  let ctx: TestContext;
  let town: Awaited<ReturnType<typeof seedBasics>>;
  const html = { accept: 'text/html' };
  const PAGE = '/meldungen/benachrichtigungen';
  const alert = (fields: Record<string, string>) => postFollowForm(ctx, PAGE, PAGE, fields);
  const noticesTo = async (to: string) => (await outboxMails(ctx.db, { to })).filter((m) => !m.subject.startsWith('Bitte bestätigen'));
  const publicCaseAt = async (lat: number, lon: number, categoryId: number, description: string) => {
    const c = await fileCase(ctx, { categoryId, lat, lon, description });
    await publishForTest(ctx.db, c.caseId, { at: clock.now() });
    return c;
  };

  beforeAll(async () => {
    ctx = await createTestContext({ clock });
    town = await seedBasics(ctx.db);
  });
  afterAll(() => ctx.close());

  it('the page is linked from /meldungen and works as a plain form', async () => {
    expect((await ctx.app.inject({ url: '/meldungen', headers: html })).body).toContain(`href="${PAGE}"`);
    const page = await ctx.app.inject({ url: PAGE, headers: html });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Altstadt');
    expect(page.body).toContain('name="lat"');
    expect(page.body).toContain('1.000 m');
  });

  it('bad choices answer 400 with a message at each field, nothing stored', async () => {
    const res = await alert({
      email: 'x@example.org',
      bereich: 'umkreis',
      lat: '9.17',
      lon: 'neun',
      radius: '300',
      kategorie: 'gibtsnicht',
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Länge als Dezimalzahl');
    expect(res.body).toContain('angebotenen Umkreise');
    expect(res.body).toContain('Diese Kategorie gibt es nicht');
    const far = await alert({ email: 'x@example.org', bereich: 'umkreis', lat: '9.1753', lon: '47.6633', radius: '500' });
    expect(far.statusCode).toBe(400);
    expect(far.body).toContain('vertauscht');
    const noDistrict = await alert({ email: 'x@example.org', bereich: 'bezirk', bezirk: '999999' });
    expect(noDistrict.statusCode).toBe(400);
    expect(noDistrict.body).toContain('Stadtteil aus der Liste');
    expect(await outboxMails(ctx.db, { to: 'x@example.org' })).toHaveLength(0);
  });

  it('new public cases inside the district or the radius are mailed (a digest for several); outside ones are not', async () => {
    const district = await alert({ email: 'stadtteil@example.org', bereich: 'bezirk', bezirk: String(town.districts.altstadt.id) });
    expect(district.statusCode).toBe(303);
    const circle = await alert({
      email: 'umkreis@example.org',
      bereich: 'umkreis',
      lat: '47,6650',
      lon: '9.1750',
      radius: '250',
      kategorie: town.categories.streetLight.slug,
    });
    expect(circle.statusCode).toBe(303);
    const [confirmation] = await outboxMails(ctx.db, { to: 'umkreis@example.org' });
    expect(confirmation?.subject).toContain('im Umkreis von 250 m um 47.66500, 9.17500 (Kategorie Straßenbeleuchtung)');
    // A case published before the confirmation is not "new" for it.
    await publicCaseAt(47.665, 9.175, town.categories.streetLight.id, 'Schon vorher öffentlich.');
    clock.advance(60_000);
    await confirmByMail(ctx, 'stadtteil@example.org');
    await confirmByMail(ctx, 'umkreis@example.org');

    clock.advance(60_000);
    const lamp = await publicCaseAt(47.6651, 9.1751, town.categories.streetLight.id, 'Laterne am Marktplatz dunkel.');
    const litter = await publicCaseAt(47.6655, 9.1745, town.categories.litter.id, 'Sperrmüll am Marktplatz.');
    // About 800 m north: outside the Altstadt and outside the 250 m.
    const outside = await publicCaseAt(47.6725, 9.175, town.categories.streetLight.id, 'Laterne am Stadtrand dunkel.');
    const unpublished = await fileCase(ctx, {
      categoryId: town.categories.streetLight.id,
      lat: 47.665,
      lon: 9.175,
      description: 'Intern.',
    });
    clock.advance(COMMIT_LAG_MS + 1000);
    await runFollowJob(ctx);
    await runFollowJob(ctx);

    const byDistrict = await noticesTo('stadtteil@example.org');
    expect(byDistrict).toHaveLength(1);
    expect(byDistrict[0]?.subject).toBe('2 neue Meldungen im Stadtteil Altstadt');
    expect(byDistrict[0]?.text).toContain(`Meldung ${lamp.number}`);
    expect(byDistrict[0]?.text).toContain(`Meldung ${litter.number}`);
    expect(byDistrict[0]?.text).not.toContain(outside.number);
    expect(byDistrict[0]?.text).not.toContain(unpublished.number);
    expect(byDistrict[0]?.text).not.toContain('Schon vorher');
    expect(byDistrict[0]?.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');

    const byCircle = await noticesTo('umkreis@example.org');
    expect(byCircle).toHaveLength(1);
    expect(byCircle[0]?.subject).toBe(
      `Neue Meldung im Umkreis von 250 m um 47.66500, 9.17500 (Kategorie Straßenbeleuchtung): ${lamp.number}`,
    );
    expect(byCircle[0]?.text).toContain('Laterne am Marktplatz dunkel.');
    expect(byCircle[0]?.text).not.toContain(litter.number);
    expect(byCircle[0]?.text).not.toContain(outside.number);
  });

  it('one address collects at most a few unconfirmed alerts a day; past it the answer stays the same', async () => {
    for (let i = 0; i <= PENDING_PER_ADDRESS_PER_DAY; i++) {
      const res = await alert({ email: 'sammler@example.org', bereich: 'umkreis', lat: `47.66${i}`, lon: '9.175', radius: '500' });
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toBe('/benachrichtigungen/gesendet');
    }
    const [contact] = await ctx.db.select().from(contacts).where(eq(contacts.address, 'sammler@example.org'));
    const rows = await ctx.db
      .select()
      .from(publicSubscriptions)
      .where(eq(publicSubscriptions.contactId, contact?.id ?? 0));
    expect(rows).toHaveLength(PENDING_PER_ADDRESS_PER_DAY);
  });
});
