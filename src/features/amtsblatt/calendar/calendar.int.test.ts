import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { postForm } from '../../../../test/helpers/cases.ts';
import { createTestContext, createUser, csrfFor, describeDb, type TestContext, type TestUser } from '../../../../test/helpers/context.ts';
import { multipart } from '../../../../test/helpers/multipart.ts';
import { fixedClock } from '../../../infra/clock.ts';
import { postEvents, postIdeas, posts } from '../../../infra/schema/index.ts';

const ICS = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//Musterstadt//DE',
  'BEGIN:VEVENT',
  'UID:fest@musterstadt',
  'SUMMARY:Adventsmarkt mit der Bürgermeisterin',
  'LOCATION:Marktplatz',
  'DTSTART;TZID=Europe/Berlin:20261205T140000',
  'DTEND;TZID=Europe/Berlin:20261205T180000',
  'END:VEVENT',
  'END:VCALENDAR',
].join('\r\n');

describeDb('Redaktionskalender', () => {
  let ctx: TestContext;
  let editor: TestUser;
  let planned: number;
  let published: number;
  const clock = fixedClock(new Date('2026-12-01T10:00:00Z'));
  const page = '/redaktion/kalender?ansicht=monat&datum=2026-12-01';
  const move = (id: number, fields: Record<string, string>) =>
    postForm(ctx, page, `/redaktion/kalender/${id}/verschieben`, editor.cookie, fields);

  beforeAll(async () => {
    ctx = await createTestContext({ clock });
    editor = await createUser(ctx, { name: 'Erika Redaktion' });
    const [a, b] = await ctx.db
      .insert(posts)
      .values([
        {
          slug: 'markt',
          kind: 'news',
          status: 'scheduled',
          title: 'Markt <script>x</script>',
          scheduledAt: new Date('2026-12-03T08:00:00Z'),
        },
        { slug: 'alt', kind: 'notice', status: 'published', title: 'Satzung', publishedAt: new Date('2026-11-30T08:00:00Z') },
      ])
      .returning();
    planned = a?.id ?? 0;
    published = b?.id ?? 0;
  });
  afterAll(() => ctx.close());

  it('shows planned and published posts of the month, staff only, escaped', async () => {
    const anon = await ctx.app.inject({ url: page, headers: { accept: 'text/html' } });
    expect(anon.statusCode).toBe(303);
    const res = await ctx.app.inject({ url: page, headers: { cookie: editor.cookie, accept: 'text/html' } });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Markt &lt;script>x&lt;/script>');
    expect(res.body).toContain('Satzung');
    expect(res.body).toContain('value="2026-12-03T09:00"');
  });

  it('moves a post by the form without JavaScript, with an event, and refuses the past, published posts and a stale version', async () => {
    const ok = await move(planned, { at: '2026-12-04T11:30', version: '1', zurueck: page });
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe(`${page}&hinweis=verschoben`);
    const [row] = await ctx.db.select().from(posts).where(eq(posts.id, planned));
    expect(row?.scheduledAt?.toISOString()).toBe('2026-12-04T10:30:00.000Z');
    expect(row?.version).toBe(2);
    const events = await ctx.db.select().from(postEvents).where(eq(postEvents.postId, planned));
    expect(events.map((e) => [e.action, e.actorUserId])).toEqual([['moved', editor.id]]);

    const past = await move(planned, { at: '2026-11-30T09:00', version: '2', zurueck: page });
    expect(past.statusCode).toBe(400);
    expect(past.body).toContain('Dieser Zeitpunkt liegt in der Vergangenheit.');
    const stale = await move(planned, { at: '2026-12-06T09:00', version: '1', zurueck: page });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('Jemand hat den Beitrag inzwischen geändert.');
    const done = await move(published, { at: '2026-12-06T09:00', version: '1', zurueck: page });
    expect(done.statusCode).toBe(400);
    expect(done.body).toContain('schon veröffentlicht');
    const [after] = await ctx.db.select().from(posts).where(eq(posts.id, planned));
    expect(after?.version).toBe(2);
  });

  it('reads an uploaded .ics into ideas, refuses a broken one without losing them, and makes a draft from an idea', async () => {
    const upload = async (file: string) => {
      const csrf = await csrfFor(ctx.app, '/redaktion/kalender/quellen', editor.cookie);
      const body = await multipart(
        { _csrf: csrf.token, name: 'Bürgermeisterin' },
        { file: [{ data: Buffer.from(file), filename: 'termine.ics' }] },
      );
      return ctx.app.inject({
        method: 'POST',
        url: '/redaktion/kalender/quellen/datei',
        payload: body.payload,
        headers: { ...body.headers, cookie: csrf.cookie, accept: 'text/html' },
      });
    };
    expect((await upload(ICS)).statusCode).toBe(303);
    const broken = await upload('BEGIN:VCALENDAR\r\nDTSTART:kaputt');
    expect(broken.statusCode).toBe(400);
    expect(broken.body).toContain('kein gültiges iCalendar');
    const ideas = await ctx.db.select().from(postIdeas);
    expect(ideas.map((i) => [i.title, i.startsAt.toISOString()])).toEqual([
      ['Adventsmarkt mit der Bürgermeisterin', '2026-12-05T13:00:00.000Z'],
    ]);
    const cal = await ctx.app.inject({ url: page, headers: { cookie: editor.cookie, accept: 'text/html' } });
    expect(cal.body).toContain('Beitrag daraus machen');

    const take = await postForm(ctx, page, `/redaktion/ideen/${ideas[0]?.id}/beitrag`, editor.cookie, {});
    expect(take.statusCode).toBe(303);
    const [draft] = await ctx.db.select().from(posts).where(eq(posts.kind, 'event'));
    expect(draft).toMatchObject({
      status: 'draft',
      authorId: editor.id,
      title: 'Adventsmarkt mit der Bürgermeisterin',
      eventPlace: 'Marktplatz',
    });
    expect(draft?.slug).toBe('adventsmarkt-mit-der-buergermeisterin');
  });

  it('answers the writing help as a fragment with scores and plain-language suggestions', async () => {
    const res = await postForm(ctx, page, '/redaktion/schreibhilfe', editor.cookie, {
      text: 'Aufgrund der Inanspruchnahme wird die Straße gesperrt.',
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain('<html');
    expect(res.body).toContain('Lesbarkeit (Flesch nach Amstad)');
    expect(res.body).toContain('„Inanspruchnahme“ → Nutzung');
    expect(res.body).toContain('Passiv');
  });
});
