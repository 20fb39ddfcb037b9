import { Command } from 'commander';
import { buildApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { registerUserCommands } from './features/admin/cli.ts';
import { ensureDemoTown } from './features/admin/seed/index.ts';
import { registerClassifierCommands } from './features/routing/classifier/cli.ts';
import { createInfrastructure, type Infrastructure } from './infra/bootstrap.ts';
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

async function withInfrastructure(fn: (infra: Infrastructure) => Promise<void>): Promise<void> {
  const { config, log } = setup();
  let infra: Infrastructure;
  try {
    infra = await createInfrastructure(config, log);
  } catch (err) {
    process.stderr.write(`Die Datenbank konnte nicht geöffnet werden: ${(err as Error).message}\n`);
    process.exit(3);
  }
  try {
    await fn(infra);
  } finally {
    await infra.close();
  }
}

export const program = new Command('amtsblatt').description('Amtsblatt 2.0 – ein Posteingang für alle Anliegen der Bürgerinnen und Bürger');

program
  .command('serve')
  .description('Startet Webserver und Hintergrundjobs (legt beim ersten Start die Demo-Stadt an)')
  .option('--no-worker', 'ohne Hintergrundjobs (wenn eigene Worker-Prozesse laufen)')
  .action(async (opts: { worker: boolean }) => {
    const { config, log } = setup();
    const infra = await createInfrastructure(config, log).catch((err: Error) => {
      process.stderr.write(`Die Datenbank konnte nicht geöffnet werden: ${err.message}\n`);
      process.exit(3);
    });
    const demo = config.demoData ? await ensureDemoTown({ ...infra, db: infra.database.db }, { townName: config.townName }) : null;
    if (opts.worker) await infra.queue.work(allJobs(infra));
    const app = await buildApp(infra);
    const shutdown = async () => {
      log.info('shutting down');
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
    const { config, log } = setup();
    const infra = await createInfrastructure(config, log);
    await infra.queue.work(allJobs(infra));
    log.info('worker started');
    const shutdown = async () => {
      await infra.close();
      process.exit(0);
    };
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
  });

program
  .command('migrate')
  .description('Wendet ausstehende Datenbank-Migrationen an')
  .action(() =>
    withInfrastructure(async () => {
      process.stdout.write('Migrationen angewendet.\n');
    }),
  );

program
  .command('seed')
  .description('Legt die Demo-Stadt an, falls die Datenbank noch leer ist')
  .action(() =>
    withInfrastructure(async (infra) => {
      const demo = await ensureDemoTown({ ...infra, db: infra.database.db }, { townName: infra.config.townName });
      process.stdout.write(demo ? 'Demo-Stadt angelegt.\n' : 'Es gibt schon Daten – nichts geändert.\n');
    }),
  );

registerUserCommands(program, withInfrastructure);
registerClassifierCommands(program, withInfrastructure);

await program.parseAsync(process.argv);
