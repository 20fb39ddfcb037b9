import { resolve } from 'node:path';
import { Command } from 'commander';
import { buildApp } from './app.ts';
import { dataCommands } from './commands.ts';
import { ConfigError, loadConfig } from './config.ts';
import { registerUserCommands } from './features/admin/cli.ts';
import { ensureDemoTown } from './features/admin/seed/index.ts';
import { registerContactCommands } from './features/cases/contact-cli.ts';
import { registerChannelCommands } from './features/channels/accounts/cli.ts';
import { mailIntakeFor } from './features/channels/email/intake-process.ts';
import type { MailIntake } from './features/channels/email/intake-types.ts';
import { intakeDepsOf, mailHandler, tooLargeHook } from './features/channels/email/receive-mail.ts';
import { registerCaseCommands } from './features/duplicates/case-cli.ts';
import { registerApiKeyCommands } from './features/open311/cli.ts';
import { registerOpen311ImportCommands } from './features/open311-import/cli.ts';
import { registerClassifierCommands } from './features/routing/classifier/cli.ts';
import { stderrProgress } from './features/routing/classifier/progress.ts';
import { type AdminSocket, sendToAdminSocket, startAdminSocket } from './infra/admin-socket.ts';
import { createInfrastructure, type Infrastructure } from './infra/bootstrap.ts';
import { type CommandResult, EXIT_UNAVAILABLE, type ExecuteCommand, failed, parseOptions, runCommand } from './infra/commands.ts';
import { busyMessage, DataDirBusyError, dataLockHolder, type LockHolder } from './infra/data-lock.ts';
import { createLogger, type Logger } from './infra/log.ts';
import { allJobs } from './jobs.ts';

/** The `amtsblatt` command line: serve, worker, migrate, seed, user … */
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  process.stderr.write(
    `Amtsblatt braucht Node.js 24 oder neuer (gefunden: ${process.versions.node}). Bitte über "npm start" bzw. "npx amtsblatt" starten.\n`,
  );
  process.exit(1);
}

function setup(): { config: ReturnType<typeof loadConfig>; log: Logger } {
  try {
    const config = loadConfig();
    const log = createLogger(config.logLevel, process.stdout.isTTY && config.env !== 'production');
    return { config, log };
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
}

/** Opens everything for `purpose`; a database in use elsewhere or one that will not open ends the process with the reason. */
async function open(purpose: string, busyHint: string, { config, log } = setup()): Promise<Infrastructure> {
  try {
    return await createInfrastructure(config, log, { purpose });
  } catch (err) {
    const busy = err instanceof DataDirBusyError;
    process.stderr.write(
      `${busy ? `${err.message} ${busyHint}` : `Die Datenbank konnte nicht geöffnet werden: ${(err as Error).message}`}\n`,
    );
    process.exit(EXIT_UNAVAILABLE);
  }
}

const ONE_PROCESS_ONLY =
  'Zwei Prozesse auf einem Datenordner würden die Daten beschädigen: Beenden Sie zuerst den laufenden oder wählen Sie mit DATA_DIR einen anderen Ordner.';
const busyCommandHint = (holder: LockHolder) =>
  /^amtsblatt (serve|worker)\b/.test(holder.purpose)
    ? 'Er nimmt gerade keine Befehle an (startet oder stoppt er?). Bitte versuchen Sie es gleich noch einmal.'
    : 'Bitte versuchen Sie es noch einmal, sobald dieser Befehl fertig ist.';

/** The running server (serve or worker) takes the data commands on its socket while it holds the embedded database. */
function openAdminSocket(infra: Infrastructure): Promise<AdminSocket | null> {
  if (infra.database.kind !== 'pglite') return Promise.resolve(null);
  const log = infra.log.child({ module: 'admin-socket' });
  return startAdminSocket({ dataDir: resolve(infra.config.dataDir), commands: dataCommands, infra, log });
}

function finish(result: CommandResult): void {
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  process.exitCode = result.exitCode;
}

/**
 * A data command runs here, unless a running server holds the embedded database: then inside that
 * server, through its admin socket. On PostgreSQL the database itself takes care of concurrency.
 */
const execute: ExecuteCommand = async (command, raw) => {
  const { config, log } = setup();
  const parsed = parseOptions(command, raw);
  if (!parsed.ok) return finish(parsed.result);
  if (!config.databaseUrl) {
    const dataDir = resolve(config.dataDir);
    const holder = dataLockHolder(dataDir);
    if (holder) {
      const answer = await sendToAdminSocket(dataDir, command.name, parsed.options);
      return finish(answer ?? failed(`${busyMessage(dataDir, holder)} ${busyCommandHint(holder)}`, EXIT_UNAVAILABLE));
    }
  }
  const infra = await open(`amtsblatt ${command.name}`, 'Bitte versuchen Sie es gleich noch einmal.', { config, log });
  let result: CommandResult;
  try {
    // Info lines would mix JSON into the command's own output; warnings and errors still show.
    const quiet = infra.log.child({ module: 'cli' }, { level: 'warn' });
    result = await runCommand(command, { infra, log: quiet, progress: (label) => stderrProgress(label) }, parsed.options);
  } finally {
    await infra.close();
  }
  finish(result);
};

/** The mail intake of this process: each fetched message goes through the one pipeline. */
function mailIntakeOf(infra: Infrastructure): MailIntake | null {
  const deps = intakeDepsOf(infra);
  return mailIntakeFor(infra, mailHandler(deps), tooLargeHook(deps));
}

/** The first connections may take a while (a slow mail server): the process does not wait for them. */
function startInBackground(intake: MailIntake | null, log: Logger): void {
  intake?.start().catch((err) => log.error({ err }, 'mail intake did not start'));
}

export const program = new Command('amtsblatt').description('Amtsblatt 2.0 – ein Posteingang für alle Anliegen der Bürgerinnen und Bürger');

program
  .command('serve')
  .description('Startet Webserver und Hintergrundjobs (legt beim ersten Start die Demo-Stadt an)')
  .option('--no-worker', 'ohne Hintergrundjobs (wenn eigene Worker-Prozesse laufen)')
  .action(async (opts: { worker: boolean }) => {
    const infra = await open('amtsblatt serve', ONE_PROCESS_ONLY);
    const { config, log } = infra;
    const demo = config.demoData ? await ensureDemoTown({ ...infra, db: infra.database.db }, { townName: config.townName }) : null;
    if (opts.worker) await infra.queue.work(allJobs(infra));
    const mailIntake = mailIntakeOf(infra);
    const app = await buildApp({ ...infra, mailIntake });
    if (opts.worker) startInBackground(mailIntake, log);
    const adminSocket = await openAdminSocket(infra);
    const shutdown = async () => {
      log.info('shutting down');
      await mailIntake?.stop();
      await adminSocket?.close();
      await app.close();
      await infra.close();
      process.exit(0);
    };
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
    await app.listen({ port: config.port, host: config.host });
    const lines = [
      '',
      `  Amtsblatt 2.0 für ${config.townName} läuft: ${config.publicUrl}`,
      `  Datenbank: ${infra.database.kind === 'pglite' ? `eingebettet (PGlite) in ${config.dataDir}` : 'PostgreSQL'}`,
      `  E-Mail: ${infra.mailer.mode === 'smtp' ? 'SMTP' : `keine SMTP-Verbindung – Mails landen im Postausgang (${config.dataDir}/outbox)`}`,
    ];
    if (adminSocket) lines.push('  Befehle wie "npx amtsblatt user add …" arbeiten jetzt über diesen Server.');
    if (demo) {
      lines.push('', '  Demo-Zugänge (Passwort jeweils wie angegeben):');
      for (const login of demo.logins)
        lines.push(`    ${login.role.padEnd(6)} ${login.email.padEnd(36)} ${login.password}   (${login.note})`);
    }
    process.stdout.write(`${lines.join('\n')}\n\n`);
  });

program
  .command('worker')
  .description('Startet nur die Hintergrundjobs (für Betrieb mit mehreren Prozessen)')
  .action(async () => {
    const infra = await open('amtsblatt worker', ONE_PROCESS_ONLY);
    await infra.queue.work(allJobs(infra));
    const mailIntake = mailIntakeOf(infra);
    startInBackground(mailIntake, infra.log);
    const adminSocket = await openAdminSocket(infra);
    infra.log.info('worker started');
    const shutdown = async () => {
      await mailIntake?.stop();
      await adminSocket?.close();
      await infra.close();
      process.exit(0);
    };
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
  });

program
  .command('migrate')
  .description('Wendet ausstehende Datenbank-Migrationen an')
  .action(async () => {
    const infra = await open('amtsblatt migrate', 'Migrationen wendet der laufende Server beim Start selbst an.');
    await infra.close();
    process.stdout.write('Migrationen angewendet.\n');
  });

program
  .command('seed')
  .description('Legt die Demo-Stadt an, falls die Datenbank noch leer ist')
  .action(async () => {
    const infra = await open('amtsblatt seed', 'Die Demo-Stadt legt der Server beim Start selbst an (DEMO_DATA).');
    try {
      const demo = await ensureDemoTown({ ...infra, db: infra.database.db }, { townName: infra.config.townName });
      process.stdout.write(demo ? 'Demo-Stadt angelegt.\n' : 'Es gibt schon Daten – nichts geändert.\n');
    } finally {
      await infra.close();
    }
  });

registerUserCommands(program, execute);
registerClassifierCommands(program, execute);
registerChannelCommands(program, execute);
registerOpen311ImportCommands(program, execute);
registerContactCommands(program, execute);
registerCaseCommands(program, execute);
registerApiKeyCommands(program, execute);

await program.parseAsync(process.argv);
