import { Command } from 'commander';
import { expect, it } from 'vitest';
import type { ExecuteCommand } from '../../infra/commands.ts';
import { registerCaseCommands } from './case-cli.ts';

/** commander's side: each `amtsblatt case …` reaches its data command with the right options. */
it('hands the arguments of each case command to its data command', async () => {
  const calls: [string, unknown][] = [];
  const execute: ExecuteCommand = async (command, options) => {
    calls.push([command.name, options]);
  };
  const run = async (...args: string[]) => {
    const program = new Command('amtsblatt');
    registerCaseCommands(program, execute);
    await program.parseAsync(['case', ...args], { from: 'user' });
  };
  await run('merge', '2026-00034', '2026-00012');
  await run('link', '2026-00001', '2026-00002');
  await run('unlink', '2026-00001', '2026-00002');
  expect(calls).toEqual([
    ['case merge', { number: '2026-00034', into: '2026-00012' }],
    ['case link', { number: '2026-00001', other: '2026-00002' }],
    ['case unlink', { number: '2026-00001', other: '2026-00002' }],
  ]);
});
