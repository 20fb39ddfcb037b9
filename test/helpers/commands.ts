import type { Infrastructure } from '../../src/infra/bootstrap.ts';
import { type CommandResult, type DataCommand, runCommand } from '../../src/infra/commands.ts';
import type { TestContext } from './context.ts';

/** Runs a data command of `amtsblatt` against the test app's database, as the command line or the admin socket would. */
export function runData(ctx: TestContext, command: DataCommand, options: unknown): Promise<CommandResult> {
  const infra: Infrastructure = {
    config: ctx.config,
    database: ctx.database,
    queue: ctx.queue,
    storage: ctx.storage,
    clock: ctx.clock,
    log: ctx.log,
    channels: ctx.channels,
    publishers: ctx.publishers,
    secrets: ctx.secrets,
    mailer: ctx.mailer,
    sessionSecret: 'not used by data commands',
    close: async () => {},
  };
  const progress = () => ({ update() {}, done() {} });
  return runCommand(command, { infra, log: ctx.log, progress }, options);
}
