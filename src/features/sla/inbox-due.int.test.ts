import { eq, inArray } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fileCase } from '../../../test/helpers/cases.ts';
import { createTestContext, createUser, describeDb, type TestContext, type TestUser } from '../../../test/helpers/context.ts';
import { seedBasics } from '../../../test/helpers/fixtures.ts';
import { fixedClock } from '../../infra/clock.ts';
import { caseSlas, cases, slaPolicies } from '../../infra/schema/index.ts';
import { createSession, SESSION_COOKIE } from '../auth/session.ts';
import { invalidateSlaSettings } from './settings.ts';

const berlin = (local: string) => DateTime.fromISO(local, { zone: 'Europe/Berlin' }).toJSDate();
const numbersIn = (html: string) =>
  [...html.matchAll(/<th scope="row" class="kern-table__header"><a class="kern-link" href="\/staff\/faelle\/([\d-]+)"/g)].map((m) => m[1]);
const link = (html: string, rel: 'next' | 'prev') => {
  const href = new RegExp(`href="([^"]+)" rel="${rel}"`).exec(html)?.[1];
  return href?.replaceAll('&amp;', '&');
};

describeDb('inbox by due time', () => {
  const clock = fixedClock(berlin('2026-03-02T09:00'));
  let ctx: TestContext;
  let staff: TestUser;
  const filed: { number: string; caseId: number }[] = [];

  const inbox = async (url: string) => {
    const s = await createSession(ctx.db, ctx.clock, staff.id);
    return ctx.app.inject({ url, headers: { cookie: `${SESSION_COOKIE}=${ctx.app.signCookie(s.cookieValue)}`, accept: 'text/html' } });
  };

  beforeAll(async () => {
    ctx = await createTestContext({ clock });
    const town = await seedBasics(ctx.db);
    staff = await createUser(ctx, { teamIds: [town.teams.leitstelle.id] });
    await ctx.db.insert(slaPolicies).values({ name: 'Standard', responseMinutes: 8 * 60, resolutionMinutes: 40 * 60 });
    invalidateSlaSettings(ctx.db);
    // Three cases an hour apart: newest first is the reverse of earliest deadline first.
    for (const hour of ['09', '10', '11']) {
      clock.set(berlin(`2026-03-02T${hour}:00`));
      filed.push(await fileCase(ctx, { description: `Meldung von ${hour} Uhr` }));
    }
  });
  afterAll(() => ctx.close());

  it('shows the due state in words and sorts by the earliest deadline on request', async () => {
    clock.set(berlin('2026-03-03T09:20'));
    const newest = await inbox('/staff');
    expect(newest.statusCode).toBe(200);
    expect(newest.body).toContain('>Fällig</th>');
    expect(numbersIn(newest.body)).toEqual(filed.map((f) => f.number).reverse());

    const byDue = await inbox('/staff?sortierung=faelligkeit');
    expect(byDue.statusCode).toBe(200);
    expect(numbersIn(byDue.body)).toEqual(filed.map((f) => f.number));
    expect(byDue.body).toContain('Anliegen, früheste Frist zuerst');
    // 09:00 case: due Tuesday 09:00 → overdue; 10:00: warning from Tuesday 08:24 → soon; 11:00: warning at 09:24 → in plan.
    const rows = byDue.body.split('<tr class="kern-table__row"').slice(2);
    expect(rows[0]).toContain('kern-badge--danger');
    expect(rows[0]).toContain('überfällig');
    expect(rows[1]).toContain('bald fällig');
    expect(rows[2]).toContain('im Plan');
  });

  it('lists cases without a running clock last, and pages by keyset without gaps or repeats', async () => {
    clock.set(berlin('2026-03-02T12:00'));
    for (let i = 0; i < 52; i++) filed.push(await fileCase(ctx, { description: `Weitere Meldung ${i}` }));
    const unclocked = filed[3];
    if (!unclocked) throw new Error('no case');
    await ctx.db.delete(caseSlas).where(eq(caseSlas.caseId, unclocked.caseId));
    await ctx.db.update(cases).set({ description: 'ohne Frist' }).where(eq(cases.id, unclocked.caseId));

    clock.set(berlin('2026-03-02T13:00'));
    const first = await inbox('/staff?sortierung=faelligkeit');
    const page1 = numbersIn(first.body);
    expect(page1).toHaveLength(50);
    expect(page1.slice(0, 3)).toEqual(filed.slice(0, 3).map((f) => f.number));
    const next = link(first.body, 'next');
    expect(next).toContain('sortierung=faelligkeit');
    const second = await inbox(next ?? '');
    expect(second.statusCode).toBe(200);
    const page2 = numbersIn(second.body);
    expect(page2).toHaveLength(5);
    expect(page2.at(-1)).toBe(unclocked.number);
    expect(second.body).toContain('ohne Frist');
    expect(new Set([...page1, ...page2]).size).toBe(55);

    const back = await inbox(link(second.body, 'prev') ?? '');
    expect(numbersIn(back.body)).toEqual(page1);
  });

  it('pages back from a case without a running clock into the running ones', async () => {
    // 50 cases wait on the citizen: their clocks stop and they move behind the four still running
    // (the fourth case filed has had no clock since the last test).
    const waiting = filed.slice(5, 55).map((f) => f.caseId);
    await ctx.db.update(cases).set({ status: 'waiting' }).where(inArray(cases.id, waiting));
    await ctx.db
      .update(caseSlas)
      .set({ pausedSince: clock.now(), dueAt: null, warnAt: null, dueKind: null })
      .where(inArray(caseSlas.caseId, waiting));
    const first = await inbox('/staff?sortierung=faelligkeit');
    const page1 = numbersIn(first.body);
    expect(page1).toHaveLength(50);
    const number = (i: number) => filed[i]?.number;
    expect(page1.slice(0, 5)).toEqual([number(0), number(1), number(2), number(4), number(3)]);
    expect(link(first.body, 'prev')).toBeUndefined();
    const second = await inbox(link(first.body, 'next') ?? '');
    const page2 = numbersIn(second.body);
    expect(page2).toHaveLength(5);
    expect(new Set([...page1, ...page2]).size).toBe(55);
    const back = await inbox(link(second.body, 'prev') ?? '');
    expect(numbersIn(back.body)).toEqual(page1);
    expect(link(back.body, 'prev')).toBeUndefined();
  });

  it('refuses an unknown sort and a forged cursor with a German message', async () => {
    const wrong = await inbox('/staff?sortierung=zufall');
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('Bitte wählen Sie eine Sortierung aus der Liste.');
    const forged = await inbox('/staff?sortierung=faelligkeit&nach=bm90LWEtY3Vyc29y');
    expect(forged.statusCode).toBe(400);
  });
});
