import { and, eq } from 'drizzle-orm';
import type { Db, Tx } from '../../infra/db.ts';
import { AppError, fieldErrors, invalid, notFound } from '../../infra/errors.ts';
import type { Logger } from '../../infra/log.ts';
import { users } from '../../infra/schema/index.ts';
import { generatePassword, hashPassword, passwordProblem } from '../auth/password.ts';
import { deleteThrottlesOfUser } from '../auth/throttle-queries.ts';
import { publishAccessChange } from '../cases/live/notify.ts';
import { allTeamSlugs, deleteSessions, findUser, findUserIdByEmail, setUserTeams, teamsBySlug, type UserRow } from './queries.ts';
import { type NewUserInput, newUserSchema, type UserUpdateInput, userUpdateSchema } from './schemas.ts';

export interface AdminDeps {
  db: Db;
  log: Logger;
}

/** Who makes the change: a signed-in admin (web) or nobody in particular (the server's command line). */
export type AdminActor = { userId: number; sessionId: string } | null;

const duplicateEmail = 'Für diese E-Mail-Adresse gibt es schon einen Zugang.';

function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; cause?: { code?: string } };
  return e?.code === '23505' || e?.cause?.code === '23505';
}

async function resolveTeams(tx: Tx, slugs: string[]): Promise<number[]> {
  const found = await teamsBySlug(tx, slugs);
  const missing = slugs.filter((s) => !found.some((t) => t.slug === s));
  if (missing.length > 0) {
    const existing = await allTeamSlugs(tx);
    const message = `Unbekanntes Team: ${missing.join(', ')}. ${existing.length ? `Vorhandene Teams: ${existing.join(', ')}` : 'Es gibt noch keine Teams.'}`;
    throw invalid(message, { teams: message });
  }
  return found.map((t) => t.id);
}

/** Locks the active admins' rows, so two admins cannot demote each other at the same moment. */
async function activeAdminIds(tx: Tx): Promise<number[]> {
  const rows = await tx
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.role, 'admin'), eq(users.active, true)))
    .for('update');
  return rows.map((r) => r.id);
}

async function existingUser(tx: Tx, id: number): Promise<UserRow> {
  const user = await findUser(tx, id);
  if (!user) throw notFound('Diesen Zugang gibt es nicht (mehr).');
  return user;
}

export async function createUser(
  deps: AdminDeps,
  actor: AdminActor,
  raw: NewUserInput,
): Promise<{ user: UserRow; generatedPassword: string | null }> {
  const parsed = newUserSchema.safeParse(raw);
  if (!parsed.success) throw invalid('Bitte prüfen Sie die Angaben.', fieldErrors(parsed.error));
  const input = parsed.data;
  const generatedPassword = input.password ? null : generatePassword();
  const password = input.password || (generatedPassword as string);
  const problem = passwordProblem(password, { email: input.email });
  if (problem) throw invalid(problem, { password: problem });
  const passwordHash = await hashPassword(password);
  try {
    const user = await deps.db.transaction(async (tx) => {
      if (await findUserIdByEmail(tx, input.email)) throw new AppError('Conflict', duplicateEmail, { email: duplicateEmail });
      const teamIds = await resolveTeams(tx, input.teams);
      const [row] = await tx
        .insert(users)
        .values({ email: input.email, displayName: input.displayName, role: input.role, passwordHash })
        .returning({ id: users.id });
      if (!row) throw new Error('insert returned no row');
      await setUserTeams(tx, row.id, teamIds);
      return existingUser(tx, row.id);
    });
    deps.log.info({ actor: actor?.userId ?? 'cli', userId: user.id, role: user.role }, 'user created');
    return { user, generatedPassword };
  } catch (err) {
    // Two admins adding the same address at once: the unique index decides, with the same message.
    if (isUniqueViolation(err)) throw new AppError('Conflict', duplicateEmail, { email: duplicateEmail });
    throw err;
  }
}

export async function updateUser(deps: AdminDeps, actor: AdminActor, id: number, raw: UserUpdateInput): Promise<UserRow> {
  const parsed = userUpdateSchema.safeParse(raw);
  if (!parsed.success) throw invalid('Bitte prüfen Sie die Angaben.', fieldErrors(parsed.error));
  const input = parsed.data;
  const user = await deps.db.transaction(async (tx) => {
    const before = await existingUser(tx, id);
    if (before.role === 'admin' && input.role !== 'admin') {
      if (actor?.userId === id) {
        const message =
          'Sie können sich nicht selbst die Verwaltungsrechte entziehen. Bitten Sie eine andere Person aus der Verwaltung darum.';
        throw invalid(message, { role: message });
      }
      await ensureAnotherAdmin(tx, before);
    }
    const teamIds = await resolveTeams(tx, input.teams);
    await tx.update(users).set({ displayName: input.displayName, role: input.role }).where(eq(users.id, id));
    await setUserTeams(tx, id, teamIds);
    await publishAccessChange(tx, id);
    return existingUser(tx, id);
  });
  deps.log.info({ actor: actor?.userId ?? 'cli', userId: id, role: user.role }, 'user updated');
  return user;
}

async function ensureAnotherAdmin(tx: Tx, target: UserRow): Promise<void> {
  if (!target.active || target.role !== 'admin') return;
  const admins = await activeAdminIds(tx);
  if (admins.filter((a) => a !== target.id).length === 0) {
    const message = 'Das ist der letzte aktive Zugang mit Verwaltungsrechten. Legen Sie zuerst einen weiteren an.';
    throw new AppError('Conflict', message, { role: message });
  }
}

/** Deactivating ends every session of that user at once, on every app process. */
export async function setUserActive(deps: AdminDeps, actor: AdminActor, id: number, active: boolean): Promise<UserRow> {
  const user = await deps.db.transaction(async (tx) => {
    const before = await existingUser(tx, id);
    if (!active) {
      if (actor?.userId === id) throw invalid('Sie können Ihren eigenen Zugang nicht deaktivieren.');
      await ensureAnotherAdmin(tx, before);
      await deleteSessions(tx, id);
      await publishAccessChange(tx, id);
    }
    await tx.update(users).set({ active }).where(eq(users.id, id));
    // Reactivating also lifts a sign-in throttle: the admin has just looked at this account.
    if (active) await deleteThrottlesOfUser(tx, id);
    return existingUser(tx, id);
  });
  deps.log.info({ actor: actor?.userId ?? 'cli', userId: id, active }, active ? 'user reactivated' : 'user deactivated');
  return user;
}

/**
 * Sets a new password (or generates one, returned once), lifts a sign-in throttle and ends the user's
 * sessions, except the admin's own current one when they change their own password.
 */
export async function resetPassword(
  deps: AdminDeps,
  actor: AdminActor,
  id: number,
  newPassword: string | undefined,
): Promise<{ user: UserRow; generatedPassword: string | null }> {
  const generatedPassword = newPassword ? null : generatePassword();
  const password = newPassword || (generatedPassword as string);
  const target = await findUser(deps.db, id);
  if (!target) throw notFound('Diesen Zugang gibt es nicht (mehr).');
  const problem = passwordProblem(password, { email: target.email });
  if (problem) throw invalid(problem, { password: problem });
  const passwordHash = await hashPassword(password);
  const user = await deps.db.transaction(async (tx) => {
    await existingUser(tx, id);
    await tx.update(users).set({ passwordHash }).where(eq(users.id, id));
    await deleteThrottlesOfUser(tx, id);
    await deleteSessions(tx, id, actor?.userId === id ? actor.sessionId : undefined);
    // Other devices' streams end with their sessions; the admin's own tab simply reconnects.
    await publishAccessChange(tx, id);
    return existingUser(tx, id);
  });
  deps.log.info({ actor: actor?.userId ?? 'cli', userId: id }, 'password reset');
  return { user, generatedPassword };
}

/** For the command line, which names users by e-mail. */
export async function userIdByEmail(deps: AdminDeps, email: string): Promise<number> {
  const id = await findUserIdByEmail(deps.db, email);
  if (id === null) throw invalid(`Es gibt keinen Zugang mit der E-Mail-Adresse ${email.trim()}.`, { email: 'unbekannt' });
  return id;
}
