import { z } from 'zod';
import { type CommandContext, defineCommand, textTable } from '../../infra/commands.ts';
import { userRoles } from '../../infra/schema/index.ts';
import { listUsers, type UserRow } from './queries.ts';
import { type AdminDeps, createUser, resetPassword, setUserActive, userIdByEmail } from './users-service.ts';
import { formatDateTime, roleLabels } from './views/common.tsx';

/** `amtsblatt user …`: the same admin service as the web pages, for the first admin and for scripts. */

const askEmail = 'Bitte geben Sie die E-Mail-Adresse mit --email an.';
const askName = 'Bitte geben Sie den Namen mit --name an.';
const email = z.string({ error: askEmail }).trim().min(1, askEmail);
/** Present only with --password-stdin; empty when nothing came through the pipe. */
const password = z.string().min(1, 'Über die Standardeingabe kam kein Passwort.').optional();

const depsOf = (ctx: CommandContext): AdminDeps => ({ db: ctx.infra.database.db, log: ctx.log });

const shownOnce = (password: string) => `Passwort (wird nur jetzt angezeigt, bitte sicher weitergeben):\n  ${password}\n`;

function userTable(rows: UserRow[]): string {
  if (rows.length === 0) return 'Noch keine Zugänge. Anlegen mit: amtsblatt user add --email … --name …\n';
  const table = rows.map((u) => [
    u.email,
    u.displayName,
    roleLabels[u.role],
    u.teams.map((t) => t.slug).join(',') || '–',
    u.active ? 'aktiv' : 'deaktiviert',
    u.lastLoginAt ? formatDateTime(u.lastLoginAt) : 'noch nie',
  ]);
  const header = ['E-Mail', 'Name', 'Rolle', 'Teams', 'Status', 'Letzte Anmeldung'];
  return textTable(header, table);
}

export const userAdd = defineCommand({
  name: 'user add',
  options: z.object({
    email,
    name: z.string({ error: askName }).trim().min(1, askName),
    role: z.enum(userRoles, { error: 'Die Rolle muss "admin" oder "staff" sein.' }).default('staff'),
    teams: z.array(z.string()).default([]),
    password,
  }),
  async run(ctx, o) {
    const { user, generatedPassword } = await createUser(depsOf(ctx), null, {
      email: o.email,
      displayName: o.name,
      role: o.role,
      teams: o.teams,
      ...(o.password ? { password: o.password } : {}),
    });
    const teams = user.teams.map((t) => t.name).join(', ') || 'keine';
    const head = `Zugang angelegt: ${user.displayName} <${user.email}>, Rolle ${roleLabels[user.role]}, Teams: ${teams}\n`;
    return head + (generatedPassword ? shownOnce(generatedPassword) : '');
  },
});

export const userList = defineCommand({
  name: 'user list',
  options: z.object({}),
  run: async (ctx) => userTable(await listUsers(ctx.infra.database.db)),
});

export const userPasswd = defineCommand({
  name: 'user passwd',
  options: z.object({ email, password }),
  async run(ctx, o) {
    const deps = depsOf(ctx);
    const { user, generatedPassword } = await resetPassword(deps, null, await userIdByEmail(deps, o.email), o.password);
    return `Neues Passwort gesetzt für ${user.email}.\n${generatedPassword ? shownOnce(generatedPassword) : ''}`;
  },
});

const userActive = (name: 'user enable' | 'user disable', active: boolean) =>
  defineCommand({
    name,
    options: z.object({ email }),
    async run(ctx, o) {
      const deps = depsOf(ctx);
      const user = await setUserActive(deps, null, await userIdByEmail(deps, o.email), active);
      return `${user.email} ist ${active ? 'wieder aktiv' : 'deaktiviert; laufende Sitzungen sind beendet'}.\n`;
    },
  });

export const userEnable = userActive('user enable', true);
export const userDisable = userActive('user disable', false);

export const userCommands = [userAdd, userList, userPasswd, userEnable, userDisable];
