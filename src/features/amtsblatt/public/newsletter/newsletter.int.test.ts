import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestContext, csrfFor, describeDb, type TestContext } from '../../../../../test/helpers/context.ts';
import { outboxMails } from '../../../../../test/helpers/outbox.ts';
import { insertPost } from '../../../../../test/helpers/posts.ts';
import { linkIn } from '../../../../../test/helpers/public-follow.ts';
import { fixedClock } from '../../../../infra/clock.ts';
import { emit } from '../../../../infra/events.ts';
import type { Queue } from '../../../../infra/queue.ts';
import { newsletterSubscriptions, outbox } from '../../../../infra/schema/index.ts';
import { newsletterJobs } from './send.ts';

/** Small batches keep the test quick; the job's steps work the same at 500. */
const BATCH = 40;

const form = { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' };
const CONFIRM = 'Bitte bestätigen Sie den Newsletter';

describeDb('Amtsblatt newsletter: double opt-in, one-click unsubscribe, batch sending through the outbox', () => {
  let ctx: TestContext;

  const signup = async (fields: [string, string][]) => {
    const csrf = await csrfFor(ctx.app, '/amtsblatt/newsletter');
    const body = new URLSearchParams([...fields, ['_csrf', csrf.token]]);
    return ctx.app.inject({
      method: 'POST',
      url: '/amtsblatt/newsletter',
      headers: { ...form, cookie: csrf.cookie },
      payload: body.toString(),
    });
  };
  const pressButton = async (path: string) => {
    const csrf = await csrfFor(ctx.app, path);
    return ctx.app.inject({ method: 'POST', url: path, headers: { ...form, cookie: csrf.cookie }, payload: `_csrf=${csrf.token}` });
  };

  /** Runs the send job as the worker would: each step queues the next, until none is left. */
  const sendAll = async (postId: number) => {
    const steps: { postId: number; afterId: number }[] = [{ postId, afterId: 0 }];
    const queue = {
      send: async (_job: unknown, payload: { postId: number; afterId: number }) => void steps.push(payload),
    } as unknown as Queue;
    const [job] = newsletterJobs({ db: ctx.db, clock: ctx.clock, config: ctx.config, queue, log: ctx.log, batchSize: BATCH });
    for (let i = 0; i < steps.length; i++) await job.handler(steps[i] as { postId: number; afterId: number });
    return steps;
  };

  beforeAll(async () => {
    ctx = await createTestContext({ clock: fixedClock(new Date('2026-03-02T09:00:00Z')) });
  });
  afterAll(() => ctx.close());

  it('double opt-in: the same answer for a new and a known address, a button before anything changes', async () => {
    const first = await signup([
      ['email', ' Leserin@Example.ORG '],
      ['art', 'notice'],
      ['art', 'event'],
    ]);
    expect(first.statusCode).toBe(303);
    expect(first.headers.location).toBe('/amtsblatt/newsletter/gesendet');
    const [mail, ...rest] = await outboxMails(ctx.db, { to: 'leserin@example.org' });
    expect(rest).toHaveLength(0);
    expect(mail?.subject).toContain(CONFIRM);
    expect(mail?.automatic).toBe(true);
    expect(mail?.text).toContain('Amtliche Bekanntmachung, Termin');
    const path = linkIn(mail?.text ?? '', '/amtsblatt/newsletter/bestaetigen/');

    // GET shows a button and changes nothing (mail scanners open links).
    const page = await ctx.app.inject({ url: path });
    expect(page.statusCode).toBe(200);
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.body).toContain('Ja, Newsletter bestätigen');
    const [pending] = await ctx.db.select().from(newsletterSubscriptions);
    expect(pending?.confirmedAt).toBeNull();
    expect((await pressButton(path)).body).toContain('Ihr Newsletter ist eingerichtet.');
    const [confirmed] = await ctx.db.select().from(newsletterSubscriptions);
    expect(confirmed?.confirmedAt).not.toBeNull();
    expect(confirmed?.kinds).toEqual(['notice', 'event']);

    // Known address: same answer, a note instead of a second subscription.
    const again = await signup([['email', 'leserin@example.org']]);
    expect(again.statusCode).toBe(first.statusCode);
    expect(again.headers.location).toBe(first.headers.location);
    expect((await ctx.db.select().from(newsletterSubscriptions)).length).toBe(1);
    expect((await outboxMails(ctx.db, { to: 'leserin@example.org' })).at(-1)?.subject).toContain('bereits');
    // A bad address and an unknown kind are refused with the form.
    const bad = await signup([
      ['email', 'keine-adresse'],
      ['art', '<script>x</script>'],
    ]);
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Bitte geben Sie eine gültige E-Mail-Adresse ein');
    expect(bad.body).not.toContain('<script>x');
  });

  it('writes one outbox mail per matching confirmed subscriber, in batches, never twice', async () => {
    const total = BATCH * 2 + 3;
    await ctx.db.execute(sql`
      with c as (
        insert into contacts (kind, address) select 'email', 'abo' || g || '@example.org' from generate_series(1, ${total}) g returning id, address)
      insert into newsletter_subscriptions (contact_id, token, confirmed_at, kinds, tags)
      select id, substr(md5(address), 1, 32), now(), '{}', case when address like 'abo1@%' then '{bauen}'::text[] else '{}'::text[] end from c`);
    // Unconfirmed and only-events subscribers get nothing of a notice.
    await ctx.db.execute(sql`
      with c as (insert into contacts (kind, address) values ('email', 'offen@example.org'), ('email', 'termine@example.org') returning id, address)
      insert into newsletter_subscriptions (contact_id, token, confirmed_at, kinds)
      select id, substr(md5(address), 1, 32), case when address like 'termine%' then now() end, case when address like 'termine%' then '{event}'::text[] else '{}'::text[] end from c`);
    const post = await insertPost(ctx.db, {
      kind: 'notice',
      title: 'Haushaltssatzung <b>2026</b>',
      slug: 'haushaltssatzung',
      noticeNumber: 4,
    });

    const steps = await sendAll(post.id);
    expect(steps).toHaveLength(3);
    const mails = (await outboxMails(ctx.db)).filter((m) => m.idempotencyKey.startsWith(`newsletter:${post.id}:`));
    // Everyone confirmed with no choice (but abo1, who wants only "bauen") plus the reader of notices.
    expect(mails).toHaveLength(total - 1 + 1);
    expect(mails.some((m) => m.address === 'abo1@example.org')).toBe(false);
    expect(mails.some((m) => m.address === 'offen@example.org' || m.address === 'termine@example.org')).toBe(false);
    const reader = mails.find((m) => m.address === 'leserin@example.org');
    expect(reader?.subject).toBe('Amtsblatt Musterstadt: Haushaltssatzung <b>2026</b>');
    expect(reader?.text).toContain('Amtliche Bekanntmachung 2026/4');
    expect(reader?.text).toContain('http://localhost:3000/amtsblatt/haushaltssatzung');
    expect(reader?.headers['List-Unsubscribe']).toMatch(/^<http:\/\/localhost:3000\/amtsblatt\/newsletter\/abmelden\/[\w-]{32}>$/);
    expect(reader?.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');

    // A step run again (a retry) writes nothing twice.
    await sendAll(post.id);
    const [count] = await ctx.db
      .select({ n: sql<number>`count(*)::int` })
      .from(outbox)
      .where(sql`${outbox.idempotencyKey} like ${`newsletter:${post.id}:%`}`);
    expect(count?.n).toBe(total);
  });

  it('one-click unsubscribe (RFC 8058) without cookie or CSRF token ends the mails', async () => {
    const reader = (await outboxMails(ctx.db, { to: 'leserin@example.org' })).find((m) => m.headers['List-Unsubscribe']);
    const url = new URL((reader?.headers['List-Unsubscribe'] ?? '').slice(1, -1));
    const page = await ctx.app.inject({ url: url.pathname });
    expect(page.body).toContain('Newsletter abbestellen');
    const refused = await ctx.app.inject({ method: 'POST', url: url.pathname, headers: form, payload: '' });
    expect(refused.statusCode).toBe(400);
    const res = await ctx.app.inject({ method: 'POST', url: url.pathname, headers: form, payload: 'List-Unsubscribe=One-Click' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Sie bekommen den Newsletter nicht mehr.');
    const event = await insertPost(ctx.db, { kind: 'event', title: 'Stadtfest', slug: 'stadtfest-nl' });
    await sendAll(event.id);
    const got = (await outboxMails(ctx.db)).filter((m) => m.idempotencyKey.startsWith(`newsletter:${event.id}:`)).map((m) => m.address);
    expect(got).toContain('termine@example.org');
    expect(got).not.toContain('leserin@example.org');
    expect((await ctx.app.inject({ url: '/amtsblatt/newsletter/abmelden/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' })).statusCode).toBe(404);
  });

  it('post.published queues the first step; an edit of a published post does not send again', async () => {
    const post = await insertPost(ctx.db, { title: 'Neu', slug: 'neu-nl' });
    const edited = await insertPost(ctx.db, { title: 'Bearbeitet', slug: 'bearbeitet-nl' });
    await ctx.db.transaction(async (tx) => {
      await emit(tx, 'post.published', { postId: post.id, at: new Date(), republished: false });
      await emit(tx, 'post.published', { postId: edited.id, at: new Date(), republished: true });
    });
    const jobs = async () =>
      (
        (await ctx.db.execute(
          sql`select (data->>'postId')::int as post_id from pgboss.job where name = 'amtsblatt.newsletter.send'`,
        )) as unknown as {
          rows: { post_id: number }[];
        }
      ).rows.map((r) => r.post_id);
    for (let i = 0; i < 50 && !(await jobs()).includes(post.id); i++) await new Promise((r) => setTimeout(r, 20));
    expect(await jobs()).toContain(post.id);
    expect(await jobs()).not.toContain(edited.id);
  });
});
