import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, createUser, csrfFor, describeDb, type TestContext, type TestUser } from '../../../test/helpers/context.ts';
import { seedBasics } from '../../../test/helpers/fixtures.ts';
import { loginThrottles, sessions, teamMembers, teams, users } from '../../infra/schema/index.ts';
import { verifyPassword } from '../auth/password.ts';

type Fields = Record<string, string | string[]>;

describeDb('administration of users and teams', () => {
  let ctx: TestContext;
  let admin: TestUser;
  let fixtures: Awaited<ReturnType<typeof seedBasics>>;

  beforeAll(async () => {
    ctx = await createTestContext();
    fixtures = await seedBasics(ctx.db);
    admin = await createUser(ctx, { role: 'admin', name: 'Anna Admin', email: 'anna@musterstadt.example' });
  });
  afterAll(() => ctx.close());

  /** Posts a form like a browser: CSRF token from the page, cookie of the signed-in user. */
  async function post(url: string, fields: Fields, as: TestUser = admin, formPage = '/admin') {
    const { token, cookie } = await csrfFor(ctx.app, formPage, as.cookie);
    const body = new URLSearchParams();
    body.append('_csrf', token);
    for (const [k, v] of Object.entries(fields)) for (const item of ([] as string[]).concat(v)) body.append(k, item);
    return ctx.app.inject({
      method: 'POST',
      url,
      headers: { cookie, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
      payload: body.toString(),
    });
  }
  const get = (url: string, as: TestUser = admin) => ctx.app.inject({ url, headers: { cookie: as.cookie, accept: 'text/html' } });
  const userByEmail = async (email: string) =>
    (await ctx.db.select().from(users).where(sql`lower(${users.email}) = ${email.toLowerCase()}`))[0];

  it('shows the overview, user list and team list to an admin', async () => {
    const home = await get('/admin');
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain('href="/admin/benutzer"');
    const list = await get('/admin/benutzer');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('anna@musterstadt.example');
    expect(list.body).toContain('noch nie');
    const teamList = await get('/admin/teams');
    expect(teamList.body).toContain('tiefbauamt');
  });

  it('keeps staff and anonymous visitors out', async () => {
    const staff = await createUser(ctx, { role: 'staff' });
    for (const url of ['/admin', '/admin/benutzer', '/admin/teams', `/admin/benutzer/${admin.id}`]) {
      expect((await get(url, staff)).statusCode).toBe(403);
    }
    const anonymous = await ctx.app.inject({ url: '/admin/benutzer', headers: { accept: 'text/html' } });
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.headers.location).toBe('/anmelden?weiter=%2Fadmin%2Fbenutzer');
    // A staff member's form post is refused before anything happens.
    const { token, cookie } = await csrfFor(ctx.app, '/', staff.cookie);
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/admin/teams',
      headers: { cookie, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: token, name: 'Heimliches Team' }).toString(),
    });
    expect(res.statusCode).toBe(403);
    expect(await ctx.db.select().from(teams).where(eq(teams.name, 'Heimliches Team'))).toHaveLength(0);
  });

  it('creates a user with a chosen password and teams', async () => {
    const res = await post('/admin/benutzer', {
      displayName: 'Bernd Bauhof',
      email: 'Bernd.Bauhof@Musterstadt.example',
      role: 'staff',
      'team:tiefbauamt': 'yes',
      'team:leitstelle': 'yes',
      password: 'Schlagloch-Detektiv-42',
    });
    expect(res.statusCode).toBe(303);
    const row = await userByEmail('bernd.bauhof@musterstadt.example');
    expect(row?.email).toBe('bernd.bauhof@musterstadt.example');
    expect(res.headers.location).toBe(`/admin/benutzer/${row?.id}?hinweis=angelegt`);
    expect(await verifyPassword(row?.passwordHash ?? '', 'Schlagloch-Detektiv-42')).toBe(true);
    const memberships = await ctx.db
      .select()
      .from(teamMembers)
      .where(eq(teamMembers.userId, row?.id ?? 0));
    expect(memberships.map((m) => m.teamId).sort()).toEqual([fixtures.teams.leitstelle.id, fixtures.teams.tiefbau.id].sort());
  });

  it('generates a password when none is given and shows it once', async () => {
    const res = await post('/admin/benutzer', { displayName: 'Carla Chat', email: 'carla@musterstadt.example', role: 'admin' });
    expect(res.statusCode).toBe(201);
    const shown = /<code class="generated-password">([^<]+)<\/code>/.exec(res.body)?.[1] ?? '';
    expect(shown).toMatch(/^\w{4}(-\w{4}){4}$/);
    const row = await userByEmail('carla@musterstadt.example');
    expect(row?.role).toBe('admin');
    expect(await verifyPassword(row?.passwordHash ?? '', shown)).toBe(true);
    // Not shown again anywhere.
    expect((await get(`/admin/benutzer/${row?.id}`)).body).not.toContain(shown);
  });

  it('refuses a duplicate e-mail in another case with 409, keeps the values and changes nothing', async () => {
    const before = await ctx.db.select().from(users);
    const res = await post('/admin/benutzer', {
      displayName: 'Anna Zwei',
      email: 'ANNA@musterstadt.example',
      role: 'staff',
      'team:leitstelle': 'yes',
      password: 'noch-ein-gutes-passwort',
    });
    expect(res.statusCode).toBe(409);
    expect(res.body).toContain('Für diese E-Mail-Adresse gibt es schon einen Zugang.');
    expect(res.body).toContain('value="Anna Zwei"');
    expect(res.body).toContain('value="ANNA@musterstadt.example"');
    expect(res.body).toMatch(/id="team-leitstelle"[^>]*checked/);
    expect(await ctx.db.select().from(users)).toHaveLength(before.length);
  });

  it('rejects bad input with 400 and a German message per field', async () => {
    const res = await post('/admin/benutzer', {
      displayName: '',
      email: 'kein-at-zeichen',
      role: 'chef',
      'team:gibt-es-nicht': 'yes',
      password: 'kurz',
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Bitte geben Sie einen Namen ein.');
    expect(res.body).toContain('gültige E-Mail-Adresse');
    expect(res.body).toContain('Bitte wählen Sie eine Rolle');
    expect(res.body).toContain('value="kein-at-zeichen"');
    expect(await userByEmail('kein-at-zeichen')).toBeUndefined();

    const shortPassword = await post('/admin/benutzer', {
      displayName: 'Dora',
      email: 'dora@musterstadt.example',
      role: 'staff',
      password: 'kurz',
    });
    expect(shortPassword.statusCode).toBe(400);
    expect(shortPassword.body).toContain('mindestens 12 Zeichen');
    const unknownTeam = await post('/admin/benutzer', {
      displayName: 'Dora',
      email: 'dora@musterstadt.example',
      'team:gibt-es-nicht': 'yes',
    });
    expect(unknownTeam.statusCode).toBe(400);
    expect(unknownTeam.body).toContain('Unbekanntes Team: gibt-es-nicht');
    expect(await userByEmail('dora@musterstadt.example')).toBeUndefined();
  });

  it('edits name, role and teams', async () => {
    const person = await createUser(ctx, { teamIds: [fixtures.teams.leitstelle.id] });
    const res = await post(`/admin/benutzer/${person.id}`, { displayName: 'Emil Neu', role: 'admin', 'team:innovationsmanagement': 'yes' });
    expect(res.statusCode).toBe(303);
    const [row] = await ctx.db.select().from(users).where(eq(users.id, person.id));
    expect(row).toMatchObject({ displayName: 'Emil Neu', role: 'admin' });
    const memberships = await ctx.db.select().from(teamMembers).where(eq(teamMembers.userId, person.id));
    expect(memberships.map((m) => m.teamId)).toEqual([fixtures.teams.innovation.id]);
  });

  it('does not let an admin demote or deactivate themselves', async () => {
    const demote = await post(`/admin/benutzer/${admin.id}`, { displayName: 'Anna Admin', role: 'staff' });
    expect(demote.statusCode).toBe(400);
    expect(demote.body).toContain('nicht selbst die Verwaltungsrechte entziehen');
    const deactivate = await post(`/admin/benutzer/${admin.id}/deaktivieren`, {});
    expect(deactivate.statusCode).toBe(400);
    expect(deactivate.body).toContain('Sie können Ihren eigenen Zugang nicht deaktivieren.');
    const [row] = await ctx.db.select().from(users).where(eq(users.id, admin.id));
    expect(row).toMatchObject({ role: 'admin', active: true });
    expect((await get('/admin')).statusCode).toBe(200);
  });

  it("deactivating ends the user's session; reactivating lets them sign in again", async () => {
    const person = await createUser(ctx, { role: 'admin', password: 'mein-altes-passwort' });
    expect((await get('/admin', person)).statusCode).toBe(200);
    const res = await post(`/admin/benutzer/${person.id}/deaktivieren`, {});
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/admin/benutzer/${person.id}?hinweis=deaktiviert`);
    // Ended, not just ignored: a later reactivation must not revive an old cookie.
    expect(await ctx.db.select().from(sessions).where(eq(sessions.userId, person.id))).toHaveLength(0);
    const after = await get('/admin', person);
    expect(after.statusCode).toBe(303);
    expect(after.headers.location).toContain('/anmelden');
    expect((await get(`/admin/benutzer/${person.id}`)).body).toContain('Zugang aktivieren');

    expect((await post(`/admin/benutzer/${person.id}/aktivieren`, {})).statusCode).toBe(303);
    const [row] = await ctx.db.select().from(users).where(eq(users.id, person.id));
    expect(row?.active).toBe(true);
    expect((await get('/admin', person)).statusCode).toBe(303);
  });

  it('resets a password: generated once, old sessions ended, lock lifted', async () => {
    const person = await createUser(ctx, { password: 'mein-altes-passwort' });
    const now = new Date();
    await ctx.db.insert(loginThrottles).values({
      scope: 'account',
      keyHash: `test-${person.id}`,
      userId: person.id,
      failures: 12,
      firstFailureAt: now,
      lastFailureAt: now,
      blockedUntil: new Date(now.getTime() + 60_000),
    });
    const res = await post(`/admin/benutzer/${person.id}/passwort`, {});
    expect(res.statusCode).toBe(200);
    const shown = /<code class="generated-password">([^<]+)<\/code>/.exec(res.body)?.[1] ?? '';
    const [row] = await ctx.db.select().from(users).where(eq(users.id, person.id));
    expect(await verifyPassword(row?.passwordHash ?? '', shown)).toBe(true);
    expect(await ctx.db.select().from(loginThrottles).where(eq(loginThrottles.userId, person.id))).toHaveLength(0);
    expect((await get('/staff', person)).headers.location ?? '').toContain('/anmelden');

    const tooShort = await post(`/admin/benutzer/${person.id}/passwort`, { password: 'kurz' });
    expect(tooShort.statusCode).toBe(400);
    expect(tooShort.body).toContain('mindestens 12 Zeichen');
  });

  it('needs a CSRF token for admin changes', async () => {
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/admin/teams',
      headers: { cookie: admin.cookie, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ name: 'Ohne Token' }).toString(),
    });
    expect(res.statusCode).toBe(403);
    expect(await ctx.db.select().from(teams).where(eq(teams.name, 'Ohne Token'))).toHaveLength(0);
  });

  describe('teams', () => {
    it('creates a team with a slug from its name, unique', async () => {
      expect((await post('/admin/teams', { name: 'Grünflächenamt', email: 'gruen@musterstadt.example' })).statusCode).toBe(303);
      const [team] = await ctx.db.select().from(teams).where(eq(teams.name, 'Grünflächenamt'));
      expect(team).toMatchObject({ slug: 'gruenflaechenamt', email: 'gruen@musterstadt.example' });
      expect((await post('/admin/teams', { name: 'Gruenflaechenamt' })).statusCode).toBe(303);
      const [second] = await ctx.db.select().from(teams).where(eq(teams.name, 'Gruenflaechenamt'));
      expect(second?.slug).toBe('gruenflaechenamt-2');
    });

    it('refuses a duplicate name (409) and a bad e-mail (400), keeping the values', async () => {
      const dup = await post('/admin/teams', { name: 'tiefbauamt' });
      expect(dup.statusCode).toBe(409);
      expect(dup.body).toContain('Ein Team mit diesem Namen gibt es schon.');
      const bad = await post('/admin/teams', { name: 'Kämmerei', email: 'nicht-gültig' });
      expect(bad.statusCode).toBe(400);
      expect(bad.body).toContain('value="Kämmerei"');
      expect(bad.body).toContain('gültige E-Mail-Adresse');
      expect(await ctx.db.select().from(teams).where(eq(teams.name, 'Kämmerei'))).toHaveLength(0);
    });

    it('edits name and e-mail but keeps the slug', async () => {
      const id = fixtures.teams.innovation.id;
      expect((await post(`/admin/teams/${id}`, { name: 'Ideenwerkstatt', email: '' })).statusCode).toBe(303);
      const [team] = await ctx.db.select().from(teams).where(eq(teams.id, id));
      expect(team).toMatchObject({ name: 'Ideenwerkstatt', slug: 'innovationsmanagement', email: null });
      const escaped = await post(`/admin/teams/${id}`, { name: '<script>alert(1)</script>' });
      expect(escaped.statusCode).toBe(303);
      const page = await get(`/admin/teams/${id}`);
      expect(page.body).not.toContain('<script>alert(1)</script>');
      expect(page.body).toContain('&lt;script>');
      expect((await get('/admin/teams/999999')).statusCode).toBe(404);
    });
  });
});
