import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { createTestContext, createUser, csrfFor, describeDb, type TestContext } from '../../test/helpers/context.ts';
import { multipart } from '../../test/helpers/multipart.ts';
import { cases } from '../infra/schema/index.ts';

const html = { accept: 'text/html' };
const report = { description: 'Der Gully in der Bahnhofstraße ist verstopft.', type: 'defect', consent: 'yes' };

describeDb('the HTTP edge: origin, body types, proxy hints', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(() => ctx.close());

  const caseCount = async () => (await ctx.db.select({ id: cases.id }).from(cases)).length;

  /** A complete, valid report post from a freshly loaded form, with the given extra headers. */
  async function postReport(headers: Record<string, string>) {
    const { token, cookie, body } = await csrfFor(ctx.app, '/melden');
    const nonce = /name="nonce" value="([^"]+)"/.exec(body)?.[1] ?? '';
    const form = await multipart({ _csrf: token, nonce, ...report });
    return ctx.app.inject({
      method: 'POST',
      url: '/melden',
      payload: form.payload,
      headers: { ...form.headers, ...html, cookie, ...headers },
    });
  }

  it('refuses a post whose Origin is another site with the German CSRF page (403), despite a valid token', async () => {
    const before = await caseCount();
    const res = await postReport({ origin: 'https://boese.example' });
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('Das Formular ist abgelaufen oder wurde nicht von dieser Seite gesendet');
    expect(await caseCount()).toBe(before);
  });

  it('refuses a post without Origin whose Referer is another site', async () => {
    const res = await postReport({ referer: 'https://boese.example/formular.html' });
    expect(res.statusCode).toBe(403);
    const unreadable = await postReport({ referer: 'kein url' });
    expect(unreadable.statusCode).toBe(403);
  });

  it('takes posts from PUBLIC_URL, from the address the request came in on, with Origin null, or with neither header', async () => {
    const before = await caseCount();
    expect((await postReport({ origin: 'http://localhost:3000' })).statusCode).toBe(303);
    expect((await postReport({ referer: 'http://localhost:3000/melden' })).statusCode).toBe(303);
    // A developer at 127.0.0.1 while PUBLIC_URL says localhost: the browser names the host it talks to.
    expect((await postReport({ origin: 'http://127.0.0.1:3000', host: '127.0.0.1:3000' })).statusCode).toBe(303);
    // Forms on our pages (all Referrer-Policy: no-referrer) send Origin: null.
    expect((await postReport({ origin: 'null' })).statusCode).toBe(303);
    expect((await postReport({})).statusCode).toBe(303);
    expect(await caseCount()).toBe(before + 5);
    // The Host must really be the one named: 127.0.0.1 is not ours when the request came to localhost.
    expect((await postReport({ origin: 'http://127.0.0.1:3000', host: 'localhost:3000' })).statusCode).toBe(403);
    expect((await postReport({ origin: 'https://localhost:3000', host: 'localhost:3000' })).statusCode).toBe(403);
  });

  it('refuses a post that the browser marks as cross-site or same-site (Sec-Fetch-Site), even with Origin: null', async () => {
    const before = await caseCount();
    // What a browser sends for a form post from a foreign page that set Referrer-Policy: no-referrer.
    const hidden = await postReport({ origin: 'null', 'sec-fetch-site': 'cross-site' });
    expect(hidden.statusCode).toBe(403);
    expect(hidden.body).toContain('Das Formular ist abgelaufen oder wurde nicht von dieser Seite gesendet');
    expect((await postReport({ 'sec-fetch-site': 'same-site' })).statusCode).toBe(403);
    expect(await caseCount()).toBe(before);
    // Our own pages (no-referrer too) post with Origin: null and same-origin.
    expect((await postReport({ origin: 'null', 'sec-fetch-site': 'same-origin' })).statusCode).toBe(303);
  });

  it('lets reads through whatever their Origin', async () => {
    const res = await ctx.app.inject({ url: '/melden', headers: { ...html, origin: 'https://boese.example' } });
    expect(res.statusCode).toBe(200);
  });

  it('answers JSON and text/plain bodies on form routes with a German 415, before anything runs', async () => {
    const staff = await createUser(ctx);
    const { token, cookie } = await csrfFor(ctx.app, '/staff', staff.cookie);
    for (const [type, payload] of [
      ['application/json', JSON.stringify({ _csrf: token })],
      ['application/merge-patch+json', JSON.stringify({ _csrf: token })],
      ['text/plain', `_csrf=${token}`],
    ] as const) {
      const res = await ctx.app.inject({ method: 'POST', url: '/abmelden', headers: { ...html, cookie, 'content-type': type }, payload });
      expect(res.statusCode, type).toBe(415);
      expect(res.body).toContain('Dieses Datenformat wird hier nicht angenommen');
    }
    // Still signed in: the refused request did not sign out.
    expect((await ctx.app.inject({ url: '/staff', headers: { ...html, cookie: staff.cookie } })).statusCode).toBe(200);
  });

  it('warns once, without addresses, when forwarded headers arrive while TRUST_PROXY is off, and tells admins', async () => {
    const admin = await createUser(ctx, { role: 'admin' });
    const quiet = await ctx.app.inject({ url: '/admin', headers: { ...html, cookie: admin.cookie } });
    expect(quiet.body).not.toContain('TRUST_PROXY');

    const warn = vi.spyOn(ctx.app.log, 'warn');
    try {
      await ctx.app.inject({ url: '/', headers: { ...html, 'x-forwarded-for': '203.0.113.77' } });
      await ctx.app.inject({ url: '/', headers: { ...html, forwarded: 'for=198.51.100.9' } });
      expect(warn).toHaveBeenCalledTimes(1);
      const logged = JSON.stringify(warn.mock.calls);
      expect(logged).toContain('TRUST_PROXY');
      expect(logged).not.toContain('203.0.113.77');
    } finally {
      warn.mockRestore();
    }

    const page = await ctx.app.inject({ url: '/admin', headers: { ...html, cookie: admin.cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Anfragen kommen über einen Proxy, aber TRUST_PROXY ist aus');
    expect(page.body).toContain('<code>TRUST_PROXY=true</code>');
  });
});

describeDb('the HTTP edge behind a trusted proxy', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext({ env: { TRUST_PROXY: 'true' } });
  });
  afterAll(() => ctx.close());

  it('neither warns nor shows the proxy banner when TRUST_PROXY is on', async () => {
    const warn = vi.spyOn(ctx.app.log, 'warn');
    try {
      await ctx.app.inject({ url: '/', headers: { ...html, 'x-forwarded-for': '203.0.113.77' } });
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
    const admin = await createUser(ctx, { role: 'admin' });
    const page = await ctx.app.inject({ url: '/admin', headers: { ...html, cookie: admin.cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('TRUST_PROXY');
  });
});
