import { type Command, type CommanderError, InvalidArgumentError } from 'commander';
import { EXIT_BAD_INPUT, type ExecuteCommand } from '../../infra/commands.ts';
import { userRoles } from '../../infra/schema/index.ts';
import { userAdd, userDisable, userEnable, userList, userPasswd } from './commands.ts';

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

/** The password travels with the command (also to the running server), read here where stdin is. */
const passwordOption = async (fromStdin: boolean | undefined) => (fromStdin ? { password: await readPasswordFromStdin() } : {});

/** `amtsblatt user …`: commander's side of the commands in commands.ts. */
export function registerUserCommands(program: Command, execute: ExecuteCommand): void {
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
    .action(async (opts: { email?: string; name?: string; role: 'admin' | 'staff'; team?: string[]; passwordStdin?: boolean }) =>
      execute(userAdd, {
        email: opts.email,
        name: opts.name,
        role: opts.role,
        teams: opts.team ?? [],
        ...(await passwordOption(opts.passwordStdin)),
      }),
    );

  user
    .command('list')
    .description('Listet alle Zugänge')
    .action(() => execute(userList, {}));

  user
    .command('passwd')
    .description('Setzt ein neues Passwort (ohne --password-stdin: erzeugt), hebt eine Sperre auf und beendet offene Sitzungen')
    .option('--email <email>', 'E-Mail-Adresse des Zugangs')
    .option('--password-stdin', 'Passwort von der Standardeingabe lesen')
    .action(async (opts: { email?: string; passwordStdin?: boolean }) =>
      execute(userPasswd, { email: opts.email, ...(await passwordOption(opts.passwordStdin)) }),
    );

  for (const [name, command] of [
    ['disable', userDisable],
    ['enable', userEnable],
  ] as const) {
    user
      .command(name)
      .description(name === 'enable' ? 'Aktiviert einen Zugang wieder' : 'Deaktiviert einen Zugang und beendet seine Sitzungen')
      .option('--email <email>', 'E-Mail-Adresse des Zugangs')
      .action((opts: { email?: string }) => execute(command, { email: opts.email }));
  }
}
