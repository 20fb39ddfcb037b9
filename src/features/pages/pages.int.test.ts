import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestContext, describeDb, type TestContext } from '../../../test/helpers/context.ts';

describeDb('public pages', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(() => ctx.close());

  it('serves the home page in German with the report link', async () => {
    const res = await ctx.app.inject({ url: '/', headers: { accept: 'text/html' } });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<html lang="de">');
    expect(res.body).toContain('href="/melden"');
  });

  it('tells on the privacy page what happens to a follower’s words and photos and to unsent photos', async () => {
    const res = await ctx.app.inject({ url: '/datenschutz', headers: { accept: 'text/html' } });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Folgen Sie nicht mehr, löschen wir beides zusammen mit Ihrer Adresse.');
    expect(res.body).toContain('Fotos einer Meldung, die Sie nicht abgeschickt haben, löschen wir nach einem Tag.');
  });

  it('answers health with its status only, naming no database engine', async () => {
    const res = await ctx.app.inject({ url: '/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
    expect(res.body).not.toMatch(/pglite|postgres/i);
  });

  it('publishes a robots.txt that keeps search engines off staff, sign-in and private links', async () => {
    const res = await ctx.app.inject({ url: '/robots.txt' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    const lines = res.body.split('\n');
    expect(lines[0]).toBe('User-agent: *');
    expect(lines).toContain('Allow: /');
    for (const path of ['/staff', '/admin', '/anmelden', '/verfolgen/', '/folgen/', '/melden/danke/']) {
      expect(lines).toContain(`Disallow: ${path}`);
    }
    expect(lines).not.toContain('Disallow: /melden');
  });

  it('shows a German 404 page for unknown paths', async () => {
    const res = await ctx.app.inject({ url: '/gibt-es-nicht', headers: { accept: 'text/html' } });
    expect(res.statusCode).toBe(404);
    expect(res.body).toContain('Seite nicht gefunden');
  });

  it('sets security headers', async () => {
    const res = await ctx.app.inject({ url: '/' });
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });
});
