import { request as httpRequest, type IncomingMessage } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fileCase, postForm } from '../../../../test/helpers/cases.ts';
import { createUser, describeDb, eventually, type TestUser } from '../../../../test/helpers/context.ts';
import { seedBasics } from '../../../../test/helpers/fixtures.ts';
import { outboxMails } from '../../../../test/helpers/outbox.ts';
import { startServer } from '../../../../test/helpers/server.ts';
import { MAX_CONNECTIONS_PER_USER } from './hub.ts';

interface Stream {
  status: number;
  events: { event: string; data: unknown }[];
  /** True once the server ended the stream. */
  ended: boolean;
  close(): void;
}

/** A real EventSource-like client over HTTP: the stream never ends, so app.inject cannot test it. */
function openStream(baseUrl: string, path: string, cookie: string): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${baseUrl}${path}`, { headers: { cookie, accept: 'text/event-stream' } }, (res: IncomingMessage) => {
      const stream: Stream = { status: res.statusCode ?? 0, events: [], ended: false, close: () => req.destroy() };
      res.on('end', () => {
        stream.ended = true;
      });
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data) stream.events.push({ event, data: JSON.parse(data) });
          end = buffer.indexOf('\n\n');
        }
      });
      res.on('error', () => {});
      resolve(stream);
    });
    req.on('error', (err) => (err.message.includes('aborted') || err.message.includes('socket hang up') ? undefined : reject(err)));
    req.end();
  });
}

const caseEvents = (s: Stream) =>
  s.events
    .filter((e) => e.event === 'case')
    .map((e) => e.data as { number: string; by: string; actor: string; self: boolean; created: boolean });

describeDb('live updates over server-sent events', () => {
  let ctx: Awaited<ReturnType<typeof startServer>>;
  let town: Awaited<ReturnType<typeof seedBasics>>;
  let leit: TestUser;
  let colleague: TestUser;
  let tief: TestUser;
  const streams: Stream[] = [];
  const open = async (path: string, user: TestUser) => {
    const s = await openStream(ctx.baseUrl, path, user.cookie);
    streams.push(s);
    return s;
  };

  beforeAll(async () => {
    ctx = await startServer();
    town = await seedBasics(ctx.db);
    leit = await createUser(ctx, { teamIds: [town.teams.leitstelle.id], name: 'Lea Leitstelle' });
    colleague = await createUser(ctx, { teamIds: [town.teams.leitstelle.id], name: 'Carl Kollege' });
    tief = await createUser(ctx, { teamIds: [town.teams.tiefbau.id], name: 'Tim Tiefbau' });
  });
  // Streams still open on purpose: closing the app must end them and not hang.
  afterAll(() => ctx.close());

  it('tells the inbox of a team about a new case and a change, and nobody without access', async () => {
    const leitInbox = await open('/staff/live', leit);
    const tiefInbox = await open('/staff/live', tief);
    expect(leitInbox.status).toBe(200);
    await eventually(async () => leitInbox.events.some((e) => e.event === 'ready') && tiefInbox.events.some((e) => e.event === 'ready'));

    const leitCase = await fileCase(ctx, { type: 'defect' });
    await eventually(async () => caseEvents(leitInbox).some((e) => e.number === leitCase.number && e.created));

    const note = await postForm(ctx, `/staff/faelle/${leitCase.number}`, `/staff/faelle/${leitCase.number}/notiz`, colleague.cookie, {
      version: '1',
      body: 'Schaue ich mir an.',
    });
    expect(note.statusCode).toBe(303);
    const changed = await eventually(async () => caseEvents(leitInbox).find((e) => e.number === leitCase.number && !e.created));
    expect(changed).toEqual({ number: leitCase.number, by: 'Carl Kollege', actor: 'staff', self: false, created: false });

    // A case of the Tiefbauamt reaches Tim; by then the Leitstelle case would have reached him too.
    const tiefCase = await fileCase(ctx, { categoryId: town.categories.streetLight.id });
    await eventually(async () => caseEvents(tiefInbox).some((e) => e.number === tiefCase.number));
    expect(caseEvents(tiefInbox).map((e) => e.number)).not.toContain(leitCase.number);
  });

  it('tells the inbox a case just left, so it does not linger there unannounced', async () => {
    const leitInbox = await open('/staff/live', leit);
    await eventually(async () => leitInbox.events.some((e) => e.event === 'ready'));
    const moved = await fileCase(ctx, { type: 'defect' });
    await eventually(async () => caseEvents(leitInbox).some((e) => e.number === moved.number && e.created));

    const res = await postForm(ctx, `/staff/faelle/${moved.number}`, `/staff/faelle/${moved.number}/bearbeiten`, colleague.cookie, {
      version: '1',
      type: 'defect',
      categoryId: '',
      teamId: String(town.teams.tiefbau.id),
      priority: 'normal',
      status: 'new',
    });
    expect(res.statusCode).toBe(303);
    const left = await eventually(async () => caseEvents(leitInbox).find((e) => e.number === moved.number && !e.created));
    expect(left).toEqual({ number: moved.number, by: 'Carl Kollege', actor: 'staff', self: false, created: false });
    await new Promise((r) => setTimeout(r, 300));
    expect(caseEvents(leitInbox).filter((e) => e.number === moved.number)).toHaveLength(2);
  });

  it('tells a case page about its own case only, marking the user’s own changes', async () => {
    const a = await fileCase(ctx);
    const b = await fileCase(ctx);
    const page = await open(`/staff/live?fall=${a.number}`, leit);
    await eventually(async () => page.events.some((e) => e.event === 'ready'));
    for (const [c, user] of [
      [b, colleague],
      [a, leit],
    ] as const) {
      const res = await postForm(ctx, `/staff/faelle/${c.number}`, `/staff/faelle/${c.number}/notiz`, user.cookie, {
        version: '1',
        body: 'Notiz',
      });
      expect(res.statusCode).toBe(303);
    }
    await eventually(async () => caseEvents(page).length > 0);
    await new Promise((r) => setTimeout(r, 300));
    expect(caseEvents(page)).toEqual([{ number: a.number, by: 'Lea Leitstelle', actor: 'staff', self: true, created: false }]);
  });

  it('tells a case page that the citizen wrote, in words that name the citizen properly', async () => {
    const c = await fileCase(ctx, { reporterEmail: 'erika@example.org' });
    const [ack] = await outboxMails(ctx.db, { caseId: c.caseId });
    const page = await open(`/staff/live?fall=${c.number}`, leit);
    await eventually(async () => page.events.some((e) => e.event === 'ready'));
    const followup = await fileCase(ctx, {
      channel: 'email',
      externalId: '<live-antwort@example.org>',
      threadKey: 'email:<live-antwort@example.org>',
      threadKeys: [`email:${ack?.messageId ?? ''}`],
      description: 'Noch ein Foto vom Schaden.',
    });
    expect(followup.outcome).toBe('followup');
    const heard = await eventually(async () => caseEvents(page)[0]);
    expect(heard).toEqual({ number: c.number, by: 'Bürger/in', actor: 'citizen', self: false, created: false });
  });

  it('ends the streams of a user whose teams an admin changed, and of a deactivated user, at once', async () => {
    const mover = await createUser(ctx, { teamIds: [town.teams.leitstelle.id], name: 'Mona Wechsel' });
    const other = await createUser(ctx, { teamIds: [town.teams.leitstelle.id], name: 'Olaf Bleibt' });
    const admin = await createUser(ctx, { role: 'admin', name: 'Ada Admin' });
    const [moving, staying] = [await open('/staff/live', mover), await open('/staff/live', other)];
    await eventually(async () => moving.events.some((e) => e.event === 'ready') && staying.events.some((e) => e.event === 'ready'));

    const res = await postForm(ctx, `/admin/benutzer/${mover.id}`, `/admin/benutzer/${mover.id}`, admin.cookie, {
      displayName: 'Mona Wechsel',
      role: 'staff',
      'team:tiefbauamt': 'yes',
    });
    expect(res.statusCode).toBe(303);
    await eventually(async () => moving.ended);
    expect(staying.ended).toBe(false);

    const again = await open('/staff/live', other);
    await eventually(async () => again.events.some((e) => e.event === 'ready'));
    const off = await postForm(ctx, `/admin/benutzer/${other.id}`, `/admin/benutzer/${other.id}/deaktivieren`, admin.cookie, {});
    expect(off.statusCode).toBe(303);
    await eventually(async () => staying.ended && again.ended);
  });

  it('refuses strangers, foreign case pages and a flood of streams', async () => {
    const anonymous = await openStream(ctx.baseUrl, '/staff/live', '');
    expect(anonymous.status).toBe(401);
    anonymous.close();
    const leitCase = await fileCase(ctx);
    const foreign = await openStream(ctx.baseUrl, `/staff/live?fall=${leitCase.number}`, tief.cookie);
    expect(foreign.status).toBe(404);
    foreign.close();

    const flooder = await createUser(ctx, { teamIds: [town.teams.leitstelle.id] });
    const ok = [];
    for (let i = 0; i < MAX_CONNECTIONS_PER_USER; i++) ok.push(await open('/staff/live', flooder));
    expect(ok.map((s) => s.status)).toEqual(ok.map(() => 200));
    const extra = await openStream(ctx.baseUrl, '/staff/live', flooder.cookie);
    expect(extra.status).toBe(429);
    extra.close();
    // Closing one frees its place (clean-up on close).
    ok[0]?.close();
    const again = await eventually(async () => {
      const s = await openStream(ctx.baseUrl, '/staff/live', flooder.cookie);
      if (s.status === 200) return s;
      s.close();
      return null;
    });
    streams.push(again);
  });
});
