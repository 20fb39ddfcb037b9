import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cases, sessions } from '../src/infra/schema/index.ts';
import { fileCase } from './helpers/cases.ts';
import { createTestContext, createUser, csrfFor, describeDb, type TestContext } from './helpers/context.ts';
import { seedBasics } from './helpers/fixtures.ts';
import { multipart } from './helpers/multipart.ts';

const html = { accept: 'text/html' };
const GERMAN_400 = 'Da stimmt etwas mit der Anfrage nicht';

describeDb('malformed requests and log hygiene', () => {
  let ctx: TestContext;
  const lines: string[] = [];
  beforeAll(async () => {
    ctx = await createTestContext({ logLines: lines });
    await seedBasics(ctx.db);
  });
  afterAll(() => ctx.close());

  async function reportForm(fields: Record<string, string> = {}) {
    // One page load: the form's nonce is bound to the browser (cookie) that loaded it.
    const csrf = await csrfFor(ctx.app, '/melden');
    const nonce = /name="nonce" value="([^"]+)"/.exec(csrf.body)?.[1] ?? '';
    const body = await multipart({ _csrf: csrf.token, nonce, description: 'Die Laterne ist dunkel.', consent: 'yes', ...fields });
    return { ...body, cookie: csrf.cookie };
  }

  describe('broken bodies and URLs get a German 4xx', () => {
    it('a truncated multipart body', async () => {
      const form = await reportForm();
      const res = await ctx.app.inject({
        method: 'POST',
        url: '/melden',
        payload: form.payload.subarray(0, form.payload.length - 20),
        headers: { ...form.headers, ...html, cookie: form.cookie },
      });
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain('unvollständig oder beschädigt');
      expect(await ctx.db.$count(cases)).toBe(0);
    });

    it('multipart without a boundary', async () => {
      const form = await reportForm();
      const res = await ctx.app.inject({
        method: 'POST',
        url: '/melden',
        payload: form.payload,
        headers: { 'content-type': 'multipart/form-data', ...html, cookie: form.cookie },
      });
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain('unvollständig oder beschädigt');
    });

    it('a malformed percent-encoding in the path, as a page and as JSON', async () => {
      const page = await ctx.app.inject({ url: '/verfolgen/%E0%A4%A', headers: html });
      expect(page.statusCode).toBe(400);
      expect(page.headers['content-type']).toContain('text/html');
      expect(page.body).toContain('fehlerhaft kodiert');
      const json = await ctx.app.inject({ url: '/%zz', headers: { accept: 'application/json' } });
      expect(json.statusCode).toBe(400);
      expect(json.json().error).toContain('fehlerhaft kodiert');
      expect(json.body).not.toContain('FST_');
    });

    it.each(['/verfolgen/%00abc', '/folgen/%00', '/staff/faelle/%00', '/melden/danke/a%00b'])(
      'NUL in the path segment of %s',
      async (url) => {
        const res = await ctx.app.inject({ url, headers: html });
        expect(res.statusCode).toBe(400);
        expect(res.body).toContain(GERMAN_400);
        expect(res.body).toContain('Steuerzeichen');
      },
    );

    it('broken UTF-8 in a urlencoded body names the field', async () => {
      const csrf = await csrfFor(ctx.app, '/anmelden');
      const res = await ctx.app.inject({
        method: 'POST',
        url: '/anmelden',
        payload: `_csrf=${csrf.token}&email=erika%C3%28%40example.org&password=x`,
        headers: { ...html, cookie: csrf.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain('Das Feld „E-Mail-Adresse“ enthält ungültige Zeichen (keine gültige UTF-8-Kodierung).');
    });

    it('a JSON client gets the field in German JSON', async () => {
      const res = await ctx.app.inject({
        method: 'POST',
        url: '/anmelden',
        payload: 'email=a%00%40example.org&password=x',
        headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ fields: { email: expect.stringContaining('Steuerzeichen') } });
    });
  });

  it('a non-ASCII "weiter" target signs in and redirects to its percent-encoded form', async () => {
    const user = await createUser(ctx, { email: 'clerk@musterstadt.example' });
    const csrf = await csrfFor(ctx.app, '/anmelden');
    const before = await ctx.db.$count(sessions);
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/anmelden',
      payload: new URLSearchParams({
        _csrf: csrf.token,
        email: user.email,
        password: user.password,
        weiter: '/staff?q=Straße €',
      }).toString(),
      headers: { ...html, cookie: csrf.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/staff?q=Stra%C3%9Fe%20%E2%82%AC');
    expect(await ctx.db.$count(sessions)).toBe(before + 1);
  });

  describe('logs', () => {
    const secrets = {
      email: 'erika.geheim@example.org',
      name: 'Erika Geheimname',
      description: 'Vertraulicher Beschreibungstext 4711',
      reply: 'Vertraulicher Antworttext 0815',
    };

    it('a failing statement logs its class and SQL state, never its parameters, and no request logs a token', async () => {
      // Every new case and every new message fails inside the database, after the edge let the values through.
      await ctx.db.execute(sql`create function refuse_insert() returns trigger language plpgsql as $$
        begin raise exception 'Einfügen gesperrt' using errcode = 'P0001'; end $$`);
      const filed = await fileCase(ctx, { reporterEmail: 'other@example.org' });
      await ctx.db.execute(sql`create trigger refuse_cases before insert on cases for each row execute function refuse_insert()`);
      await ctx.db.execute(sql`create trigger refuse_messages before insert on messages for each row execute function refuse_insert()`);
      try {
        const form = await reportForm({ description: secrets.description, reporterName: secrets.name, reporterEmail: secrets.email });
        const report = await ctx.app.inject({
          method: 'POST',
          url: '/melden',
          payload: form.payload,
          headers: { ...form.headers, ...html, cookie: form.cookie },
        });
        expect(report.statusCode).toBe(500);

        const clerk = await createUser(ctx, { role: 'admin' });
        const page = await ctx.app.inject({ url: `/staff/faelle/${filed.number}`, headers: { cookie: clerk.cookie, ...html } });
        const version = /name="version" value="(\d+)"/.exec(page.body)?.[1] ?? '1';
        const csrf = await csrfFor(ctx.app, `/staff/faelle/${filed.number}`, clerk.cookie);
        const reply = await ctx.app.inject({
          method: 'POST',
          url: `/staff/faelle/${filed.number}/antwort`,
          payload: new URLSearchParams({ _csrf: csrf.token, version, body: secrets.reply }).toString(),
          headers: { ...html, cookie: csrf.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        });
        expect(reply.statusCode).toBe(500);
        for (const res of [report, reply]) for (const secret of Object.values(secrets)) expect(res.body).not.toContain(secret);
      } finally {
        await ctx.db.execute(sql`drop trigger refuse_cases on cases`);
        await ctx.db.execute(sql`drop trigger refuse_messages on messages`);
      }

      for (const url of [
        `/verfolgen/${filed.trackingToken}`,
        `/melden/danke/${filed.trackingToken}`,
        `/staff?q=${encodeURIComponent(secrets.name)}`,
      ]) {
        await ctx.app.inject({ url, headers: html });
      }

      const log = lines.join('');
      expect(log).toContain('request failed');
      for (const secret of [...Object.values(secrets), filed.trackingToken, 'other@example.org', encodeURIComponent(secrets.name)]) {
        expect(log).not.toContain(secret);
      }
      expect(log).toContain('DrizzleQueryError');
      expect(log).toContain('P0001');
    });
  });
});
