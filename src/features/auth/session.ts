import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, lt, sql } from 'drizzle-orm';
import type { FastifyInstance, FastifyReply } from 'fastify';
import fp from 'fastify-plugin';
import type { SessionUser } from '../../http/guards.ts';
import type { Clock } from '../../infra/clock.ts';
import type { Db } from '../../infra/db.ts';
import { sessions, teamMembers, users } from '../../infra/schema/index.ts';

export const SESSION_COOKIE = 'amtsblatt_sid';
export const SESSION_HOURS = 10;

// The cookie holds a random id; the table holds only its hash, so a database dump opens no session.
const hashId = (id: string) => createHash('sha256').update(id).digest('hex');

export async function createSession(db: Db, clock: Clock, userId: number): Promise<{ cookieValue: string; expiresAt: Date }> {
  const raw = randomBytes(32).toString('base64url');
  const expiresAt = new Date(clock.now().getTime() + SESSION_HOURS * 3600_000);
  await db.insert(sessions).values({ id: hashId(raw), userId, expiresAt });
  // Housekeeping on the side: expired sessions of anyone are removed at each sign-in.
  await db.delete(sessions).where(lt(sessions.expiresAt, clock.now()));
  return { cookieValue: raw, expiresAt };
}

export async function destroySession(db: Db, sessionId: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, sessionId));
}

async function loadSessionUser(db: Db, clock: Clock, raw: string): Promise<SessionUser | null> {
  const id = hashId(raw);
  // One round trip: the user with their team ids.
  const rows = await db
    .select({
      id: users.id,
      email: users.email,
      displayName: users.displayName,
      role: users.role,
      active: users.active,
      teamIds: sql<
        number[]
      >`coalesce((select array_agg(${teamMembers.teamId} order by ${teamMembers.teamId}) from ${teamMembers} where ${teamMembers.userId} = ${users.id}), '{}')`,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.id, id), gt(sessions.expiresAt, clock.now())))
    .limit(1);
  const row = rows[0];
  if (!row?.active) return null;
  return { id: row.id, email: row.email, displayName: row.displayName, role: row.role, teamIds: row.teamIds.map(Number), sessionId: id };
}

export function setSessionCookie(reply: FastifyReply, value: string, expiresAt: Date, secure: boolean): void {
  reply.setCookie(SESSION_COOKIE, value, { path: '/', httpOnly: true, sameSite: 'lax', secure, signed: true, expires: expiresAt });
}

export function clearSessionCookie(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
}

/**
 * Loads request.user from the session cookie on every request (one indexed lookup), except for the
 * static files under /assets/: they need no user, and a page pulls several of them.
 */
export const sessionPlugin = fp<{ db: Db; clock: Clock }>(async (app: FastifyInstance, { db, clock }) => {
  app.decorateRequest('user', null);
  app.addHook('onRequest', async (request) => {
    if (request.url.startsWith('/assets/')) return;
    const cookie = request.cookies[SESSION_COOKIE];
    if (!cookie) return;
    const unsigned = request.unsignCookie(cookie);
    if (!unsigned.valid || !unsigned.value) return;
    request.user = await loadSessionUser(db, clock, unsigned.value);
  });
});
