import { Command } from 'commander';
import { expect, it } from 'vitest';
import type { ExecuteCommand } from '../../infra/commands.ts';
import { registerContactCommands } from './contact-cli.ts';

/** commander's side: each `amtsblatt contact …` reaches its data command with the right options. */
it('hands the arguments and options of each contact command to its data command', async () => {
  const calls: [string, unknown][] = [];
  const execute: ExecuteCommand = async (command, options) => {
    calls.push([command.name, options]);
  };
  const run = async (...args: string[]) => {
    const program = new Command('amtsblatt');
    registerContactCommands(program, execute);
    await program.parseAsync(['contact', ...args], { from: 'user' });
  };
  await run('list');
  await run('list', '--search', 'Müller');
  await run('show', '12');
  await run('link', '12', '7');
  await run('unlink', '7');
  expect(calls).toEqual([
    ['contact list', { search: undefined }],
    ['contact list', { search: 'Müller' }],
    ['contact show', { id: '12' }],
    ['contact link', { id: '12', other: '7' }],
    ['contact unlink', { id: '7' }],
  ]);
});
