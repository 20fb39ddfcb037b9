import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fileCase, intakeDeps, postForm, versionOn } from '../../../test/helpers/cases.ts';
import { createTestContext, createUser, csrfFor, describeDb, type TestContext, type TestUser } from '../../../test/helpers/context.ts';
import { seedBasics } from '../../../test/helpers/fixtures.ts';
import { multipart } from '../../../test/helpers/multipart.ts';
import { outboxMails } from '../../../test/helpers/outbox.ts';
import { rawMail } from '../../../test/helpers/raw-mail.ts';
import { AUTOMATIC_PER_ADDRESS_PER_DAY } from '../../infra/outbox.ts';
import { enqueueMail } from '../../infra/outbox-mail.ts';
import { auditEvents, caseReporters, contacts } from '../../infra/schema/index.ts';
import { createEmailAccount } from '../channels/accounts/service.ts';
import { mailHandler } from '../channels/email/receive-mail.ts';

const html = { accept: 'text/html' };
const north = (m: number) => m / 111_320;

/** Followers are contacts: the notices address the contact, so the daily cap and a bounce apply to them. */
describeDb('followers as contacts', () => {
  let ctx: TestContext;
  let town: Awaited<ReturnType<typeof seedBasics>>;
  let admin: TestUser;
  let accountId: number;
  let spot = 0;
  let uid = 0;

  beforeAll(async () => {
    ctx = await createTestContext();
    town = await seedBasics(ctx.db);
    admin = await createUser(ctx, { role: 'admin', name: 'Ada Admin' });
    const account = await createEmailAccount({ db: ctx.db, log: ctx.log, secrets: ctx.secrets, clock: ctx.clock }, null, {
      name: 'Bürgerservice',
      from: 'buergerservice@musterstadt.example',
      team: 'innovationsmanagement',
      imapHost: '127.0.0.1',
      imapPort: 1143,
      imapSecurity: 'plain',
      imapUser: 'postfach',
      imapPassword: 'geheim',
      smtpHost: '127.0.0.1',
      smtpPort: 2525,
      smtpSecurity: 'plain',
    });
    accountId = account.id;
  });
  afterAll(() => ctx.close());

  /** A lamp report, and a citizen who follows it from the duplicate offer of the web form. */
  async function followedLamp(email: string) {
    spot++;
    const at = { lat: 47.2 + spot * 0.01, lon: 9.3 };
    const first = await fileCase(ctx, {
      categoryId: town.categories.streetLight.id,
      description: 'Straßenlaterne vor Nummer 12 ist dunkel',
      reporterName: 'Erika Erstmelderin',
      reporterEmail: `erika${spot}@example.org`,
      ...at,
    });
    const { token, cookie, body } = await csrfFor(ctx.app, '/melden');
    const nonce = /name="nonce" value="([^"]+)"/.exec(body)?.[1] ?? '';
    const form = await multipart({
      _csrf: token,
      nonce,
      description: 'Die Laterne vor Hausnummer 12 ist seit drei Tagen dunkel.',
      type: 'defect',
      categoryId: String(town.categories.streetLight.id),
      lat: String(at.lat + north(15)),
      lon: String(at.lon),
      consent: 'yes',
      reporterName: 'Yara Folgende',
      reporterEmail: email,
      follow: first.number,
    });
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/melden/folgen',
      payload: form.payload,
      headers: { ...form.headers, ...html, cookie },
    });
    expect(res.statusCode).toBe(303);
    const [follower] = await ctx.db.select().from(caseReporters).where(eq(caseReporters.caseId, first.caseId));
    return { first, follower };
  }

  const contactOf = async (address: string) => (await ctx.db.select().from(contacts).where(eq(contacts.address, address)))[0];

  const resolve = async (number: string) => {
    const page = await ctx.app.inject({ url: `/staff/faelle/${number}`, headers: { ...html, cookie: admin.cookie } });
    const teamId = /<option value="(\d+)" selected/.exec(page.body.slice(page.body.indexOf('name="teamId"')))?.[1] ?? '';
    return postForm(ctx, `/staff/faelle/${number}`, `/staff/faelle/${number}/bearbeiten`, admin.cookie, {
      version: versionOn(page.body),
      status: 'resolved',
      type: 'defect',
      categoryId: String(town.categories.streetLight.id),
      teamId,
      priority: 'normal',
    });
  };

  it('following writes the follower as a contact, and the confirmation mail is addressed to it', async () => {
    const { follower } = await followedLamp('Yara.F@Example.org');
    const contact = await contactOf('yara.f@example.org');
    expect(contact).toMatchObject({ kind: 'email', displayName: 'Yara Folgende', undeliverableAt: null });
    expect(follower?.contactId).toBe(contact?.id);
    const [confirmation] = await outboxMails(ctx.db, { to: 'yara.f@example.org' });
    expect(confirmation?.subject).toContain('Sie folgen dieser Meldung');
    expect(confirmation?.contactId).toBe(contact?.id);
    expect(confirmation?.automatic).toBe(true);

    // The same address following another report is the same contact.
    const again = await followedLamp('yara.f@example.org');
    expect(again.follower?.contactId).toBe(contact?.id);
  });

  it('the resolution notice to a follower carries its contact and counts against the daily cap', async () => {
    const { first } = await followedLamp('zoe.cap@example.org');
    const contact = await contactOf('zoe.cap@example.org');
    expect((await resolve(first.number)).statusCode).toBe(303);
    const notice = (await outboxMails(ctx.db, { to: 'zoe.cap@example.org' })).at(-1);
    expect(notice?.text).toContain('der Sie folgen, ist erledigt');
    expect(notice?.contactId).toBe(contact?.id);

    // Fill the address's day with automatic mail: the next notice is not written.
    const capped = await followedLamp('zoe.cap@example.org');
    for (let i = (await outboxMails(ctx.db, { to: 'zoe.cap@example.org' })).length; i < AUTOMATIC_PER_ADDRESS_PER_DAY; i++) {
      await enqueueMail(ctx.db, {
        caseId: null,
        to: 'zoe.cap@example.org',
        subject: 'Füllmail',
        text: '…',
        messageId: `<fill-${i}@musterstadt.example>`,
        automatic: true,
        contactId: contact?.id ?? null,
      });
    }
    const before = (await outboxMails(ctx.db, { to: 'zoe.cap@example.org' })).length;
    expect(before).toBe(AUTOMATIC_PER_ADDRESS_PER_DAY);
    expect((await resolve(capped.first.number)).statusCode).toBe(303);
    expect(await outboxMails(ctx.db, { to: 'zoe.cap@example.org' })).toHaveLength(before);
    // The first reporter still heard; the capped follower is not counted as notified.
    const [notified] = await ctx.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.caseId, capped.first.caseId), eq(auditEvents.action, 'reporters_notified')));
    expect(notified?.details).toMatchObject({ count: 1 });
  });

  it('a bounced follower address marks its contact: no notice on resolution, and staff see it in the panel', async () => {
    const { first } = await followedLamp('tipp@exampel.org');
    const [confirmation] = await outboxMails(ctx.db, { to: 'tipp@exampel.org' });
    const handle = mailHandler(intakeDeps(ctx));
    const dsn = rawMail(`From: MAILER-DAEMON@mail.musterstadt.example
To: buergerservice@musterstadt.example
Subject: Undelivered Mail Returned to Sender
Message-ID: <dsn-follower@mail.musterstadt.example>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="b1"

--b1
Content-Type: text/plain

Die Mail konnte nicht zugestellt werden.

--b1
Content-Type: message/delivery-status

Reporting-MTA: dns; mail.musterstadt.example

Final-Recipient: rfc822; tipp@exampel.org
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 User unknown

--b1
Content-Type: text/rfc822-headers

Message-ID: ${confirmation?.messageId}
To: tipp@exampel.org
Subject: ${confirmation?.subject}

--b1--
`);
    expect(await handle(dsn, { accountId, uid: ++uid, uidValidity: 1n, size: 1000 })).toBe('stored');
    expect((await contactOf('tipp@exampel.org'))?.undeliverableAt).toBeInstanceOf(Date);

    const panel = await ctx.app.inject({ url: `/staff/faelle/${first.number}`, headers: { ...html, cookie: admin.cookie } });
    expect(panel.body).toContain('Weitere Meldende');
    expect(panel.body).toMatch(/E-Mail tipp@exampel\.org<strong> \(nicht erreichbar seit/);

    expect((await resolve(first.number)).statusCode).toBe(303);
    expect(await outboxMails(ctx.db, { to: 'tipp@exampel.org' })).toHaveLength(1);
  });
});
