import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fileCase } from '../../../test/helpers/cases.ts';
import { createTestContext, describeDb, eventually, type TestContext } from '../../../test/helpers/context.ts';
import { seedBasics } from '../../../test/helpers/fixtures.ts';
import { outboxMails } from '../../../test/helpers/outbox.ts';
import { publishForTest } from '../../../test/helpers/public-cases.ts';
import { confirmByMail, postFollowForm, runFollowJob } from '../../../test/helpers/public-follow.ts';
import { startSmtpPeer } from '../../../test/helpers/smtp-peer.ts';
import { fixedClock } from '../../infra/clock.ts';
import { COMMIT_LAG_MS } from './notify.ts';

/** Long header lines arrive folded (RFC 5322 §2.2.3); unfolded they read as one line again. */
const unfold = (raw: string) => raw.replace(/\r\n[ \t]+/g, ' ');

describeDb('Follow mails over real SMTP', () => {
  const clock = fixedClock(new Date());
  let smtp: Awaited<ReturnType<typeof startSmtpPeer>>;
  let ctx: TestContext;
  beforeAll(async () => {
    smtp = await startSmtpPeer();
    ctx = await createTestContext({ clock, env: { SMTP_URL: `smtp://127.0.0.1:${smtp.port}` } });
    await ctx.startWorkers();
  });
  afterAll(async () => {
    await ctx.close();
    await smtp.close();
  });

  it('the one-click unsubscribe headers reach the SMTP peer; the confirmation mail carries none', async () => {
    const town = await seedBasics(ctx.db);
    const c = await fileCase(ctx, { categoryId: town.categories.streetLight.id, description: 'Laterne dunkel.', lat: 47.665, lon: 9.175 });
    await publishForTest(ctx.db, c.caseId, { at: clock.now() });
    const area = await postFollowForm(ctx, '/meldungen/benachrichtigungen', '/meldungen/benachrichtigungen', {
      email: 'draht@example.org',
      bereich: 'bezirk',
      bezirk: String(town.districts.altstadt.id),
    });
    expect(area.statusCode).toBe(303);
    await confirmByMail(ctx, 'draht@example.org');
    clock.advance(1000);
    const fresh = await fileCase(ctx, {
      categoryId: town.categories.streetLight.id,
      description: 'Noch eine Laterne.',
      lat: 47.6652,
      lon: 9.1752,
    });
    await publishForTest(ctx.db, fresh.caseId, { at: clock.now() });
    clock.advance(COMMIT_LAG_MS + 1000);
    await runFollowJob(ctx);

    await eventually(async () => (await outboxMails(ctx.db, { to: 'draht@example.org', status: 'sent' })).length === 2);
    // The raw lines, as mail programs read them (mailparser folds List-* headers into one structure).
    const raw = await Promise.all(
      smtp.received.map(async (m) => ({ mail: await simpleParser(m.raw), raw: unfold(m.raw.toString('utf8')) })),
    );
    const notice = raw.find((m) => m.mail.subject?.startsWith('Neue Meldung'));
    const confirmation = raw.find((m) => m.mail.subject?.startsWith('Bitte bestätigen'));
    const token = /abmelden\/([A-Za-z0-9_-]{32})/.exec(notice?.mail.text ?? '')?.[1];
    expect(token).toBeDefined();
    expect(notice?.raw).toMatch(new RegExp(`^List-Unsubscribe: <http://localhost:3000/benachrichtigungen/abmelden/${token}>\r$`, 'm'));
    expect(notice?.raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r$/m);
    expect(notice?.raw).toMatch(/^Auto-Submitted: auto-replied\r$/m);
    expect(confirmation?.raw).toBeDefined();
    expect(confirmation?.raw).not.toContain('List-Unsubscribe');
  });
});
