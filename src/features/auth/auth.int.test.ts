import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, createUser, csrfFor, describeDb, type TestContext } from '../../../test/helpers/context.ts';
import { fixedClock } from '../../infra/clock.ts';
import { loginThrottles, sessions, users } from '../../infra/schema/index.ts';
import { LOGIN_RATE_LIMIT } from './routes.tsx';

const clock = fixedClock(new Date('2026-03-02T09:00:00Z'));
let ipCounter = 1;
/** Each test signs in from its own address, so the per-IP rate limit of one test does not hit another. */
const nextIp = () => `10.0.0.${ipCounter++}`;

async function postLogin(ctx: TestContext, fields: Record<string, string>, ip: string, query = '') {
  const { token, cookie } = await csrfFor(ctx.app, `/anmelden${query}`);
  return ctx.app.inject({
    method: 'POST',
    url: '/anmelden',
    remoteAddress: ip,
    headers: { cookie, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: token, ...fields }).toString(),
  });
}

const sessionCookieOf = (res: { headers: Record<string, unknown> }) =>
  ([] as string[])
    .concat((res.headers['set-cookie'] as string[] | string | undefined) ?? [])
    .map((c) => c.split(';')[0] ?? '')
    .find((c) => c.startsWith('amtsblatt_sid=') && c.length > 'amtsblatt_sid='.length);

describeDb('staff sign-in', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext({ clock });
  });
  afterAll(() => ctx.close());

  it('signs an admin in with a real form post; the cookie opens /admin', async () => {
    const admin = await createUser(ctx, { role: 'admin', email: 'Chefin@Musterstadt.example', password: 'ein-sehr-gutes-passwort' });
    const res = await postLogin(
      ctx,
      { email: 'chefin@musterstadt.example', password: 'ein-sehr-gutes-passwort', weiter: '/admin' },
      nextIp(),
    );
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/admin');
    const cookie = sessionCookieOf(res);
    expect(cookie).toBeDefined();
    const page = await ctx.app.inject({ url: '/admin', headers: { cookie: cookie ?? '', accept: 'text/html' } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Verwaltung');
    const [row] = await ctx.db.select().from(users).where(eq(users.id, admin.id));
    expect(row?.lastLoginAt?.toISOString()).toBe(clock.now().toISOString());
    // Already signed in: the login page sends the user on.
    const again = await ctx.app.inject({ url: '/anmelden', headers: { cookie: cookie ?? '', accept: 'text/html' } });
    expect(again.statusCode).toBe(303);
    expect(again.headers.location).toBe('/staff');
  });

  it('refuses a wrong password with one generic message and keeps the e-mail', async () => {
    const user = await createUser(ctx, { password: 'das-richtige-passwort' });
    const wrong = await postLogin(ctx, { email: user.email, password: 'das-falsche-passwort' }, nextIp());
    expect(wrong.statusCode).toBe(401);
    expect(wrong.body).toContain('E-Mail oder Passwort stimmt nicht.');
    expect(wrong.body).toContain(`value="${user.email}"`);
    expect(sessionCookieOf(wrong)).toBeUndefined();
    const unknown = await postLogin(ctx, { email: 'niemand@musterstadt.example', password: 'das-falsche-passwort' }, nextIp());
    expect(unknown.statusCode).toBe(401);
    expect(unknown.body).toContain('E-Mail oder Passwort stimmt nicht.');
  });

  it('asks for missing fields with 400 and a message per field', async () => {
    const res = await postLogin(ctx, { email: 'jemand@musterstadt.example', password: '' }, nextIp());
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Bitte geben Sie Ihr Passwort ein.');
    expect(res.body).toContain('value="jemand@musterstadt.example"');
  });

  it('slows a pair down after 3 free failures instead of locking; the right password works once the wait is over', async () => {
    const user = await createUser(ctx, { password: 'das-richtige-passwort' });
    const ip = nextIp();
    for (let i = 1; i <= 3; i++) {
      const res = await postLogin(ctx, { email: user.email, password: `falsch-falsch-${i}` }, ip);
      expect(res.statusCode).toBe(401);
      expect(res.body).toContain('müssen Sie zwischen zwei Versuchen etwas warten');
    }
    const fourth = await postLogin(ctx, { email: user.email, password: 'falsch-falsch-4' }, ip);
    expect(fourth.statusCode).toBe(401);
    expect(fourth.body).toContain('erst in 2 Sekunden');
    const right = await postLogin(ctx, { email: user.email, password: 'das-richtige-passwort' }, ip);
    expect(right.statusCode).toBe(429);
    expect(right.headers['retry-after']).toBe('2');
    expect(right.body).toContain('Bitte warten Sie einen Moment.');
    expect(sessionCookieOf(right)).toBeUndefined();
    clock.advance(2_000);
    const later = await postLogin(ctx, { email: user.email, password: 'das-richtige-passwort' }, ip);
    expect(later.statusCode).toBe(303);
    expect(await ctx.db.select().from(loginThrottles).where(eq(loginThrottles.userId, user.id))).toHaveLength(0);
  });

  it('resets the failure count after a successful sign-in', async () => {
    const user = await createUser(ctx, { password: 'das-richtige-passwort' });
    const ip = nextIp();
    for (let i = 0; i < 3; i++) await postLogin(ctx, { email: user.email, password: 'falsch-falsch' }, ip);
    expect((await postLogin(ctx, { email: user.email, password: 'das-richtige-passwort' }, ip)).statusCode).toBe(303);
    const again = await postLogin(ctx, { email: user.email, password: 'falsch-falsch' }, ip);
    expect(again.statusCode).toBe(401);
    expect(again.body).not.toContain('erst in');
  });

  it('does not let a deactivated user sign in', async () => {
    const user = await createUser(ctx, { password: 'das-richtige-passwort' });
    await ctx.db.update(users).set({ active: false }).where(eq(users.id, user.id));
    const res = await postLogin(ctx, { email: user.email, password: 'das-richtige-passwort' }, nextIp());
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('deaktiviert');
    expect(sessionCookieOf(res)).toBeUndefined();
  });

  it('sends an open-redirect attempt to /staff', async () => {
    const user = await createUser(ctx, { password: 'das-richtige-passwort' });
    const res = await postLogin(ctx, { email: user.email, password: 'das-richtige-passwort', weiter: '//evil.example' }, nextIp());
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/staff');
    const page = await ctx.app.inject({ url: '/anmelden?weiter=https://evil.example/', headers: { accept: 'text/html' } });
    expect(page.body).toContain('name="weiter" value="/staff"');
  });

  it('rejects a sign-in without CSRF token with 403', async () => {
    const user = await createUser(ctx, { password: 'das-richtige-passwort' });
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/anmelden',
      remoteAddress: nextIp(),
      headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ email: user.email, password: 'das-richtige-passwort' }).toString(),
    });
    expect(res.statusCode).toBe(403);
    expect(sessionCookieOf(res)).toBeUndefined();
  });

  it(`limits sign-in attempts per IP to ${LOGIN_RATE_LIMIT} a minute with a German 429 page`, async () => {
    const ip = nextIp();
    const { token, cookie } = await csrfFor(ctx.app, '/anmelden');
    const attempt = () =>
      ctx.app.inject({
        method: 'POST',
        url: '/anmelden',
        remoteAddress: ip,
        headers: { cookie, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: token, email: 'rate@musterstadt.example', password: '' }).toString(),
      });
    for (let i = 0; i < LOGIN_RATE_LIMIT; i++) expect((await attempt()).statusCode).toBe(400);
    const limited = await attempt();
    expect(limited.statusCode).toBe(429);
    expect(limited.body).toContain('Zu viele Versuche');
    // Another address is not affected.
    expect((await postLogin(ctx, { email: 'rate@musterstadt.example', password: '' }, nextIp())).statusCode).toBe(400);
  });

  describe('sign-out', () => {
    it('deletes the session: the old cookie no longer works', async () => {
      const user = await createUser(ctx, { role: 'admin' });
      expect((await ctx.app.inject({ url: '/admin', headers: { cookie: user.cookie, accept: 'text/html' } })).statusCode).toBe(200);
      const { token, cookie } = await csrfFor(ctx.app, '/admin', user.cookie);
      const res = await ctx.app.inject({
        method: 'POST',
        url: '/abmelden',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: token }).toString(),
      });
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toBe('/anmelden?abgemeldet=1');
      expect(await ctx.db.select().from(sessions).where(eq(sessions.userId, user.id))).toHaveLength(0);
      const after = await ctx.app.inject({ url: '/admin', headers: { cookie: user.cookie, accept: 'text/html' } });
      expect(after.statusCode).toBe(303);
      expect(after.headers.location).toBe('/anmelden?weiter=%2Fadmin');
      const page = await ctx.app.inject({ url: '/anmelden?abgemeldet=1', headers: { accept: 'text/html' } });
      expect(page.body).toContain('Sie sind abgemeldet.');
    });

    it('needs a CSRF token', async () => {
      const user = await createUser(ctx);
      const res = await ctx.app.inject({ method: 'POST', url: '/abmelden', headers: { cookie: user.cookie, accept: 'text/html' } });
      expect(res.statusCode).toBe(403);
      expect(await ctx.db.select().from(sessions).where(eq(sessions.userId, user.id))).toHaveLength(1);
    });
  });
});
