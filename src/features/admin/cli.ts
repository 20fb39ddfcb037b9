import { type Command, type CommanderError, InvalidArgumentError } from 'commander';
import type { Infrastructure } from '../../infra/bootstrap.ts';
import { AppError } from '../../infra/errors.ts';
import { userRoles } from '../../infra/schema/index.ts';
import { listUsers, type UserRow } from './queries.ts';
import { type AdminDeps, createUser, resetPassword, setUserActive, userIdByEmail } from './users-service.ts';
import { formatDateTime, roleLabels } from './views/common.tsx';

type WithInfrastructure = (fn: (infra: Infrastructure) => Promise<void>) => Promise<void>;

/** Exit codes: 1 = refused (e.g. the e-mail exists already), 2 = bad input (unknown option, team, e-mail …). */
const EXIT_REFUSED = 1;
const EXIT_BAD_INPUT = 2;

function parseRole(value: string): 'admin' | 'staff' {
  if ((userRoles as readonly string[]).includes(value)) return value as 'admin' | 'staff';
  throw new InvalidArgumentError('Die Rolle muss "admin" oder "staff" sein.');
}

/** Reads a password piped in (`echo … | amtsblatt user add … --password-stdin`), without its final line break. */
async function readPasswordFromStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/**
 * Runs a change with the database open and reports a refused change only after the database is
 * closed again, so an embedded database is never left half-open by an early exit.
 */
async function runWith(cmd: Command, withInfrastructure: WithInfrastructure, work: (deps: AdminDeps) => Promise<string>): Promise<void> {
  let output = '';
  let refusal: AppError | null = null;
  await withInfrastructure(async (infra) => {
    // Info lines would mix JSON into the command's own output; warnings and errors still show.
    const deps: AdminDeps = { db: infra.database.db, log: infra.log.child({ module: 'admin-cli' }, { level: 'warn' }) };
    try {
      output = await work(deps);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      refusal = err;
    }
  });
  if (refusal) {
    const err: AppError = refusal;
    const details = Object.entries(err.fields)
      .filter(([, message]) => message !== err.message && message !== 'unbekannt')
      .map(([, message]) => `  - ${message}`);
    const message = [err.message, ...details].join('\n');
    cmd.error(message, { exitCode: err.code === 'Conflict' ? EXIT_REFUSED : EXIT_BAD_INPUT, code: `amtsblatt.${err.code}` });
  }
  process.stdout.write(output);
}

function requireEmail(cmd: Command, email: unknown): string {
  if (typeof email !== 'string' || !email.trim())
    cmd.error('Bitte geben Sie die E-Mail-Adresse mit --email an.', { exitCode: EXIT_BAD_INPUT });
  return (email as string).trim();
}

async function passwordOption(cmd: Command, fromStdin: boolean | undefined): Promise<string | undefined> {
  if (!fromStdin) return undefined;
  const password = await readPasswordFromStdin();
  if (!password) cmd.error('Über die Standardeingabe kam kein Passwort.', { exitCode: EXIT_BAD_INPUT });
  return password;
}

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
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    `${cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd()}\n`;
  return line(header) + table.map(line).join('');
}

/** `amtsblatt user …`: the same admin service as the web pages, for the first admin and for scripts. */
export function registerUserCommands(program: Command, withInfrastructure: WithInfrastructure): void {
  const user = program.command('user').description('Zugänge für Mitarbeitende verwalten');
  // Wrong usage (unknown option, missing value, bad role) is bad input: exit code 2, like our own checks.
  user.exitOverride((err: CommanderError) => {
    const usage =
      err.code.startsWith('commander.') &&
      !['commander.helpDisplayed', 'commander.help', 'commander.version', 'commander.error'].includes(err.code);
    process.exit(usage ? EXIT_BAD_INPUT : err.exitCode);
  });

  user
    .command('add')
    .description('Legt einen Zugang an; ohne --password-stdin wird ein sicheres Passwort erzeugt und einmal angezeigt')
    .option('--email <email>', 'E-Mail-Adresse (Anmeldename)')
    .option('--name <name>', 'Name, wie er im Posteingang erscheint')
    .option('--role <role>', 'admin oder staff', parseRole, 'staff')
    .option('--team <slug...>', 'Kurzname eines Teams (mehrfach möglich)')
    .option('--password-stdin', 'Passwort von der Standardeingabe lesen')
    .action(
      async (opts: { email?: string; name?: string; role: 'admin' | 'staff'; team?: string[]; passwordStdin?: boolean }, cmd: Command) => {
        const email = requireEmail(cmd, opts.email);
        if (!opts.name?.trim()) cmd.error('Bitte geben Sie den Namen mit --name an.', { exitCode: EXIT_BAD_INPUT });
        const password = await passwordOption(cmd, opts.passwordStdin);
        await runWith(cmd, withInfrastructure, async (deps) => {
          const { user: created, generatedPassword } = await createUser(deps, null, {
            email,
            displayName: opts.name ?? '',
            role: opts.role,
            teams: opts.team ?? [],
            ...(password ? { password } : {}),
          });
          const teams = created.teams.map((t) => t.name).join(', ') || 'keine';
          const head = `Zugang angelegt: ${created.displayName} <${created.email}>, Rolle ${roleLabels[created.role]}, Teams: ${teams}\n`;
          return head + (generatedPassword ? shownOnce(generatedPassword) : '');
        });
      },
    );

  user
    .command('list')
    .description('Listet alle Zugänge')
    .action(() =>
      withInfrastructure(async (infra) => {
        process.stdout.write(userTable(await listUsers(infra.database.db)));
      }),
    );

  user
    .command('passwd')
    .description('Setzt ein neues Passwort (ohne --password-stdin: erzeugt), hebt eine Sperre auf und beendet offene Sitzungen')
    .option('--email <email>', 'E-Mail-Adresse des Zugangs')
    .option('--password-stdin', 'Passwort von der Standardeingabe lesen')
    .action(async (opts: { email?: string; passwordStdin?: boolean }, cmd: Command) => {
      const email = requireEmail(cmd, opts.email);
      const password = await passwordOption(cmd, opts.passwordStdin);
      await runWith(cmd, withInfrastructure, async (deps) => {
        const { user: changed, generatedPassword } = await resetPassword(deps, null, await userIdByEmail(deps, email), password);
        return `Neues Passwort gesetzt für ${changed.email}.\n${generatedPassword ? shownOnce(generatedPassword) : ''}`;
      });
    });

  for (const [name, active] of [
    ['disable', false],
    ['enable', true],
  ] as const) {
    user
      .command(name)
      .description(active ? 'Aktiviert einen Zugang wieder' : 'Deaktiviert einen Zugang und beendet seine Sitzungen')
      .option('--email <email>', 'E-Mail-Adresse des Zugangs')
      .action(async (opts: { email?: string }, cmd: Command) => {
        const email = requireEmail(cmd, opts.email);
        await runWith(cmd, withInfrastructure, async (deps) => {
          const changed = await setUserActive(deps, null, await userIdByEmail(deps, email), active);
          return `${changed.email} ist ${active ? 'wieder aktiv' : 'deaktiviert; laufende Sitzungen sind beendet'}.\n`;
        });
      });
  }
}
