import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { intakeDeps } from '../../../test/helpers/cases.ts';
import { createTestContext, createUser, describeDb, type TestContext, type TestUser } from '../../../test/helpers/context.ts';
import { seedBasics } from '../../../test/helpers/fixtures.ts';
import { composeMail } from '../../../test/helpers/raw-mail.ts';
import { cases, messages } from '../../infra/schema/index.ts';
import { createEmailAccount } from '../channels/accounts/service.ts';
import { mailHandler } from '../channels/email/receive-mail.ts';
import { ORIGINAL_HTML_CSP } from './original.tsx';

const QUOTED = 'Am 1. Dezember schrieb die Stadt:\n> Vielen Dank für Ihre Meldung.\n> Wir kümmern uns.';
const HTML = `<p onclick="alert(1)">Die Bank im <b>Stadtpark</b> ist kaputt.</p>
<script>fetch('https://tracker.example/gelesen')</script>
<img src="https://tracker.example/pixel.gif" width="1" height="1">
<a href="javascript:alert(2)">Link</a>
<iframe src="https://tracker.example/frame"></iframe>`;

describeDb('"Originalansicht": the whole mail for staff, its HTML in a sandbox', () => {
  let ctx: TestContext;
  let admin: TestUser;
  let outsider: TestUser;
  let withOriginal: { number: string; messageId: number };
  let plain: { number: string; messageId: number };
  let n = 0;

  beforeAll(async () => {
    ctx = await createTestContext();
    const town = await seedBasics(ctx.db);
    admin = await createUser(ctx, { role: 'admin' });
    const account = await createEmailAccount({ db: ctx.db, log: ctx.log, secrets: ctx.secrets, clock: ctx.clock }, null, {
      name: 'Bürgerservice',
      from: 'buergerservice@musterstadt.example',
      team: 'leitstelle',
      imapHost: '127.0.0.1',
      imapPort: 143,
      imapSecurity: 'plain',
      imapUser: 'postfach',
      imapPassword: 'geheim',
      smtpHost: '127.0.0.1',
      smtpPort: 25,
      smtpSecurity: 'plain',
    });
    const mailIn = async (options: Parameters<typeof composeMail>[0]) => {
      const messageId = `<original-${++n}@example.org>`;
      const raw = await composeMail({ messageId, ...options });
      expect(await mailHandler(intakeDeps(ctx))(raw, { accountId: account.id, uid: n, uidValidity: 1n, size: raw.length })).toBe('stored');
      const [row] = await ctx.db
        .select({ number: cases.number, teamId: cases.teamId, messageId: messages.id })
        .from(cases)
        .innerJoin(messages, and(eq(messages.caseId, cases.id), eq(messages.kind, 'inbound')))
        .where(eq(cases.externalId, messageId));
      if (!row) throw new Error('no case');
      return row;
    };
    const rich = await mailIn({ subject: 'Parkbank', text: `Die Bank im Stadtpark ist kaputt.\n\n${QUOTED}`, html: HTML });
    withOriginal = rich;
    plain = await mailIn({ subject: 'Laterne', text: 'Die Laterne flackert.' });
    const otherTeam = [town.teams.leitstelle, town.teams.innovation, town.teams.tiefbau].find((t) => t && t.id !== rich.teamId);
    outsider = await createUser(ctx, { teamIds: otherTeam ? [otherTeam.id] : [] });
  }, 90_000);
  afterAll(async () => {
    await ctx?.close();
  });

  const get = (url: string, user?: TestUser) =>
    ctx.app.inject({ url, headers: { accept: 'text/html', ...(user ? { cookie: user.cookie } : {}) } });
  const urlOf = (c: { number: string }, messageId: number, html = false) =>
    `/staff/faelle/${c.number}/nachrichten/${messageId}/original${html ? '.html' : ''}`;

  it('stores the whole text and the sanitised HTML on intake, and only where they add something', async () => {
    const [rich] = await ctx.db.select().from(messages).where(eq(messages.id, withOriginal.messageId));
    expect(rich?.body).not.toContain('Wir kümmern uns.');
    expect(rich?.originalText).toContain('> Wir kümmern uns.');
    expect(rich?.originalHtml).toContain('<b>Stadtpark</b>');
    for (const bad of ['<script', 'onclick', 'tracker.example', 'javascript:', '<iframe']) expect(rich?.originalHtml).not.toContain(bad);
    const [bare] = await ctx.db.select().from(messages).where(eq(messages.id, plain.messageId));
    expect(bare).toMatchObject({ originalText: null, originalHtml: null });
  });

  it('links it from the case page, only for a message that has one', async () => {
    expect((await get(`/staff/faelle/${withOriginal.number}`, admin)).body).toContain(
      `href="${urlOf(withOriginal, withOriginal.messageId)}"`,
    );
    expect((await get(`/staff/faelle/${plain.number}`, admin)).body).not.toContain('Originalansicht');
  });

  it('shows the whole text and frames the HTML in a sandbox that runs nothing and loads nothing', async () => {
    const page = await get(urlOf(withOriginal, withOriginal.messageId), admin);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('\n> Wir kümmern uns.</pre>');
    expect(page.body).toMatch(new RegExp(`<iframe[^>]*src="${urlOf(withOriginal, withOriginal.messageId, true).replace(/\./g, '\\.')}"`));
    // An empty sandbox attribute: no scripts, no forms, no popups, an origin of its own.
    expect(page.body).toMatch(/<iframe[^>]*\ssandbox(="")?[\s>]/);

    const frame = await get(urlOf(withOriginal, withOriginal.messageId, true), admin);
    expect(frame.statusCode).toBe(200);
    expect(frame.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(frame.headers['content-security-policy']).toBe(ORIGINAL_HTML_CSP);
    expect(String(frame.headers['content-security-policy'])).toMatch(/^sandbox; default-src 'none'; img-src data:;/);
    expect(frame.headers['x-content-type-options']).toBe('nosniff');
    expect(frame.body).toContain('<b>Stadtpark</b>');
    expect(frame.body).not.toMatch(/<script|onclick|tracker\.example|javascript:/i);
  });

  it('is for staff who may see the case; another case’s message or one without an original is not found', async () => {
    for (const html of [false, true]) {
      const url = urlOf(withOriginal, withOriginal.messageId, html);
      expect((await get(url, outsider)).statusCode).toBe(404);
      const anonymous = await get(url);
      expect([302, 303, 401]).toContain(anonymous.statusCode);
      expect(anonymous.body).not.toContain('Stadtpark');
      // The message exists, but belongs to another case than the one in the path.
      expect((await get(urlOf(plain, withOriginal.messageId, html), admin)).statusCode).toBe(404);
      expect((await get(urlOf(plain, plain.messageId, html), admin)).statusCode).toBe(404);
      expect((await get(`/staff/faelle/${withOriginal.number}/nachrichten/abc/original${html ? '.html' : ''}`, admin)).statusCode).toBe(
        404,
      );
    }
  });
});
