import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestContext, createUser, csrfFor, describeDb, eventually, type TestContext } from '../../../test/helpers/context.ts';
import { outboxMails } from '../../../test/helpers/outbox.ts';
import { fixedClock } from '../../infra/clock.ts';
import { loginThrottles } from '../../infra/schema/index.ts';
import { authJobs } from './jobs.ts';

const clock = fixedClock(new Date('2026-03-02T09:00:00Z'));
let ipCounter = 1;
/** Every scenario from its own addresses, so the per-address counters of one do not reach another. */
const nextIp = () => `10.1.${Math.floor(ipCounter / 250)}.${ipCounter++ % 250}`;

interface Attempt {
  email: string;
  password: string;
  ip: string;
  device?: string;
}

async function attempt(ctx: TestContext, a: Attempt) {
  const { token, cookie } = await csrfFor(ctx.app, '/anmelden');
  return ctx.app.inject({
    method: 'POST',
    url: '/anmelden',
    remoteAddress: a.ip,
    headers: {
      cookie: [cookie, a.device ? `amtsblatt_geraet=${a.device}` : ''].filter(Boolean).join('; '),
      accept: 'text/html',
      'content-type': 'application/x-www-form-urlencoded',
    },
    payload: new URLSearchParams({ _csrf: token, email: a.email, password: a.password }).toString(),
  });
}

const deviceCookieOf = (res: { headers: Record<string, unknown> }) =>
  ([] as string[])
    .concat((res.headers['set-cookie'] as string[] | string | undefined) ?? [])
    .map((c) => c.split(';')[0] ?? '')
    .find((c) => c.startsWith('amtsblatt_geraet='))
    ?.slice('amtsblatt_geraet='.length);

/** What an outsider sees of an answer, with the e-mail they typed and the CSRF token taken out. */
function observable(res: Awaited<ReturnType<typeof attempt>>, email: string) {
  const headers = Object.keys(res.headers)
    .filter((h) => !['date', 'content-length', 'set-cookie'].includes(h))
    .sort();
  return {
    status: res.statusCode,
    retryAfter: res.headers['retry-after'],
    headers,
    cookies: ([] as string[]).concat((res.headers['set-cookie'] as string[] | undefined) ?? []).map((c) => c.split('=')[0]),
    body: res.body.replaceAll(email, '«email»').replace(/name="_csrf" value="[^"]+"/g, '_csrf'),
  };
}

/** A stranger guessing from a new address each time, waiting out every delay: `count` failures counted. */
async function strangerFails(ctx: TestContext, email: string, count: number): Promise<string[]> {
  const ips: string[] = [];
  while (ips.length < count) {
    const ip = nextIp();
    let res = await attempt(ctx, { email, password: 'geraten', ip });
    if (res.statusCode === 429) {
      clock.advance(Number(res.headers['retry-after']) * 1000);
      res = await attempt(ctx, { email, password: 'geraten', ip });
    }
    expect(res.statusCode).toBe(401);
    ips.push(ip);
  }
  return ips;
}

describeDb('sign-in throttling', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext({ clock });
    await ctx.startWorkers();
  });
  afterAll(() => ctx.close());

  it('answers a known and an unknown account identically through a whole sequence of failures and waits', async () => {
    const known = await createUser(ctx, { email: 'kim.known@musterstadt.example', password: 'das-richtige-passwort' });
    const unknown = 'uma.unknown@musterstadt.example';
    const ipKnown = nextIp();
    const ipUnknown = nextIp();
    const steps: (number | 'try')[] = ['try', 'try', 'try', 'try', 'try', 2_000, 'try', 'try', 4_000, 'try', 'try'];
    const statuses: number[] = [];
    for (const step of steps) {
      if (typeof step === 'number') {
        clock.advance(step);
        continue;
      }
      const a = await attempt(ctx, { email: known.email, password: 'falsch-falsch', ip: ipKnown });
      const b = await attempt(ctx, { email: unknown, password: 'falsch-falsch', ip: ipUnknown });
      expect(observable(b, unknown)).toEqual(observable(a, known.email));
      statuses.push(a.statusCode);
    }
    // 3 free failures, the 4th starts a 2 s wait, the 5th is not even checked, and so on.
    expect(statuses).toEqual([401, 401, 401, 401, 429, 401, 429, 401, 429]);
    // Neither e-mail nor address is stored in clear.
    const rows = await ctx.db.select().from(loginThrottles);
    expect(JSON.stringify(rows)).not.toMatch(/musterstadt|10\.1\./);
  });

  it('doubles the wait per further failure of a pair, and a wait never grows from attempts during it', async () => {
    const user = await createUser(ctx, { password: 'das-richtige-passwort' });
    const ip = nextIp();
    for (let i = 0; i < 3; i++) expect((await attempt(ctx, { email: user.email, password: `falsch-${i}`, ip })).statusCode).toBe(401);
    const waits: string[] = [];
    for (let i = 3; i < 7; i++) {
      expect((await attempt(ctx, { email: user.email, password: `falsch-${i}`, ip })).statusCode).toBe(401);
      const refused = await attempt(ctx, { email: user.email, password: 'das-richtige-passwort', ip });
      expect(refused.statusCode).toBe(429);
      const wait = String(refused.headers['retry-after']);
      waits.push(wait);
      // Hammering during the wait is not counted: the wait stays as it was.
      expect((await attempt(ctx, { email: user.email, password: 'nochmal', ip })).headers['retry-after']).toBe(wait);
      clock.advance(Number(wait) * 1000);
    }
    expect(waits).toEqual(['2', '4', '8', '16']);
    expect((await attempt(ctx, { email: user.email, password: 'das-richtige-passwort', ip })).statusCode).toBe(303);
  }, 30_000);

  it('slows one address spraying many accounts after 10 failures', async () => {
    const ip = nextIp();
    for (let i = 0; i < 10; i++) {
      const res = await attempt(ctx, { email: `spray-${i}@musterstadt.example`, password: 'Sommer2026!', ip });
      expect(res.statusCode).toBe(401);
      expect(res.body).not.toContain('erst in');
    }
    expect((await attempt(ctx, { email: 'spray-10@musterstadt.example', password: 'Sommer2026!', ip })).body).toContain(
      'erst in 2 Sekunden',
    );
    const next = await attempt(ctx, { email: 'spray-11@musterstadt.example', password: 'Sommer2026!', ip });
    expect(next.statusCode).toBe(429);
  });

  it('lets a stranger delay the holder by at most a minute, not at all at the holder’s own device, and mails the holder once', async () => {
    const holder = await createUser(ctx, { name: 'Hanna Halter', password: 'das-richtige-passwort' });
    const home = nextIp();
    const first = await attempt(ctx, { email: holder.email, password: 'das-richtige-passwort', ip: home });
    expect(first.statusCode).toBe(303);
    const device = deviceCookieOf(first);
    expect(device).toMatch(/^[\w-]{43}$/);

    // A stranger with many addresses: no pair or address counter fills, the account counter does.
    const strangerIps = await strangerFails(ctx, holder.email, 30);

    // The holder elsewhere (no device cookie) waits, but never longer than 60 s.
    const elsewhere = await attempt(ctx, { email: holder.email, password: 'das-richtige-passwort', ip: nextIp() });
    expect(elsewhere.statusCode).toBe(429);
    expect(Number(elsewhere.headers['retry-after'])).toBeLessThanOrEqual(60);
    // At the usual device: straight in.
    const atHome = await attempt(ctx, { email: holder.email, password: 'das-richtige-passwort', ip: home, ...(device ? { device } : {}) });
    expect(atHome.statusCode).toBe(303);

    const mails = await eventually(async () => {
      const rows = await outboxMails(ctx.db, { to: holder.email });
      return rows.length > 0 ? rows : null;
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(await outboxMails(ctx.db, { to: holder.email })).toHaveLength(1);
    const text = mails[0]?.text ?? '';
    expect(text).toContain('Hallo Hanna Halter,');
    expect(text).toMatch(/Zugang gab es (am|zwischen) .+ Uhr \d+ fehlgeschlagene Anmeldeversuche\./);
    expect(text).toContain('Für Sie ist nichts gesperrt');
    for (const ip of strangerIps) expect(text).not.toContain(ip);
  });

  it('lets the holder in after the account wait from any address', async () => {
    const holder = await createUser(ctx, { password: 'das-richtige-passwort' });
    await strangerFails(ctx, holder.email, 25);
    const waiting = await attempt(ctx, { email: holder.email, password: 'das-richtige-passwort', ip: nextIp() });
    expect(waiting.statusCode).toBe(429);
    expect(waiting.headers['retry-after']).toBe('60');
    expect(waiting.body).toContain('erst in 1 Minute');
    clock.advance(60_000);
    expect((await attempt(ctx, { email: holder.email, password: 'das-richtige-passwort', ip: nextIp() })).statusCode).toBe(303);
  }, 30_000);

  it('shows admins the throttles with names only for known accounts; they lift them, others get 403', async () => {
    const admin = await createUser(ctx, { role: 'admin', name: 'Anna Admin' });
    const staff = await createUser(ctx, { role: 'staff' });
    const victim = await createUser(ctx, { name: 'Vera Victim', password: 'das-richtige-passwort' });
    const ipVictim = nextIp();
    for (let i = 0; i < 4; i++) await attempt(ctx, { email: victim.email, password: 'falsch', ip: ipVictim });
    const ipSpray = nextIp();
    for (let i = 0; i < 11; i++) await attempt(ctx, { email: `niemand-${i}@beispiel.example`, password: 'falsch', ip: ipSpray });

    const get = (url: string, as = admin) => ctx.app.inject({ url, headers: { cookie: as.cookie, accept: 'text/html' } });
    const post = async (url: string, as = admin) => {
      const { token, cookie } = await csrfFor(ctx.app, '/admin', as.cookie);
      return ctx.app.inject({
        method: 'POST',
        url,
        headers: { cookie, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: token }).toString(),
      });
    };

    const page = await get('/admin/anmeldungen');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h1 class="kern-heading-large">Anmeldeschutz</h1>');
    expect(page.body).toMatch(/<caption class="kern-title">Gebremste Anmeldungen \(\d+\)<\/caption>/);
    expect(page.body).toContain('Vera Victim');
    expect(page.body).toContain('unbekannte Adresse (Netzadresse)');
    expect(page.body).not.toContain(ipVictim);
    expect(page.body).not.toContain(ipSpray);
    expect(page.body).not.toContain('beispiel.example');
    expect((await get('/admin')).body).toContain('href="/admin/anmeldungen"');
    expect((await get('/admin/benutzer')).body).toContain('Anmeldung gebremst');
    expect((await get(`/admin/benutzer/${victim.id}`)).body).toContain('Sperre aufheben');

    expect((await get('/admin/anmeldungen', staff)).statusCode).toBe(403);
    // The victim has two rows (pair and account); take the pair's, whatever order the database returns.
    const [pair] = await ctx.db
      .select()
      .from(loginThrottles)
      .where(and(eq(loginThrottles.userId, victim.id), eq(loginThrottles.scope, 'pair')));
    expect(pair?.scope).toBe('pair');
    expect((await post(`/admin/anmeldungen/${pair?.id}/aufheben`, staff)).statusCode).toBe(403);
    expect(await ctx.db.select().from(loginThrottles).where(eq(loginThrottles.userId, victim.id))).toHaveLength(2);

    const lifted = await post(`/admin/anmeldungen/${pair?.id}/aufheben`);
    expect(lifted.statusCode).toBe(303);
    expect(lifted.headers.location).toBe('/admin/anmeldungen?hinweis=anmeldeschutz');
    expect((await get('/admin/anmeldungen?hinweis=anmeldeschutz')).body).toContain('Die Wartezeit ist aufgehoben');
    expect(
      await ctx.db
        .select()
        .from(loginThrottles)
        .where(eq(loginThrottles.id, pair?.id ?? 0)),
    ).toHaveLength(0);
    // Straight in after the lift, without waiting.
    expect((await attempt(ctx, { email: victim.email, password: 'das-richtige-passwort', ip: ipVictim })).statusCode).toBe(303);

    // From the user's own page, every counter of the account goes at once.
    for (let i = 0; i < 4; i++) await attempt(ctx, { email: victim.email, password: 'falsch', ip: ipVictim });
    expect((await post(`/admin/benutzer/${victim.id}/anmeldeschutz`, staff)).statusCode).toBe(403);
    const fromUserPage = await post(`/admin/benutzer/${victim.id}/anmeldeschutz`);
    expect(fromUserPage.headers.location).toBe(`/admin/benutzer/${victim.id}?hinweis=anmeldeschutz`);
    expect(await ctx.db.select().from(loginThrottles).where(eq(loginThrottles.userId, victim.id))).toHaveLength(0);
  });

  it('forgets counters a day after their last failure (hourly sweep)', async () => {
    const ip = nextIp();
    await attempt(ctx, { email: 'vergessen@musterstadt.example', password: 'falsch', ip });
    const before = (await ctx.db.select().from(loginThrottles)).length;
    const sweep = authJobs({ db: ctx.db, clock: ctx.clock, log: ctx.log })[0];
    expect(sweep?.cron).toBe('41 * * * *');
    await sweep?.handler({});
    expect(await ctx.db.select().from(loginThrottles)).toHaveLength(before);
    const dayLater = fixedClock(new Date(clock.now().getTime() + 24 * 3600_000 + 1));
    await authJobs({ db: ctx.db, clock: dayLater, log: ctx.log })[0]?.handler({});
    expect(await ctx.db.select().from(loginThrottles)).toHaveLength(0);
  });
});
