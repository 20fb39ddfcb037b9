import type { z } from 'zod';
import type { Infrastructure } from './bootstrap.ts';
import { AppError } from './errors.ts';
import type { Logger } from './log.ts';

/**
 * A command of `amtsblatt` that reads or changes the town's data, written once: it runs in the
 * command-line process (PostgreSQL, or no server running) or inside the running server, which
 * receives it on its admin socket while it holds the embedded database (see admin-socket.ts).
 * Options are plain JSON; whatever only the caller's side has (a password on stdin, a file in its
 * working directory) is read by the command-line wiring before the command runs anywhere.
 */
export interface DataCommand<S extends z.ZodType = z.ZodType> {
  /** As typed after `amtsblatt`, e.g. "user add"; the key on the admin socket. */
  name: string;
  /** Checked before anything is opened, and again when a request reaches the server. */
  options: S;
  /** Returns the text to print; refuses by throwing an AppError (Conflict → exit 1, anything else → 2). */
  run(ctx: CommandContext, options: z.output<S>): Promise<string>;
}

export interface CommandContext {
  infra: Infrastructure;
  /** Warnings only on the command line (info lines would mix into the output); the server's own log inside it. */
  log: Logger;
  /** A progress bar on the operator's terminal; silent inside the server. */
  progress(label: string): ProgressBar;
}

export interface ProgressBar {
  update(done: number, total: number, step: string): void;
  done(): void;
}

export interface CommandResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/**
 * What the command-line wiring calls: runs the command here or in the running server, prints its
 * output and sets the exit code (main.ts).
 */
export type ExecuteCommand = <S extends z.ZodType>(command: DataCommand<S>, options: RawOptions<S>) => Promise<void>;
/** Options as commander hands them over: the command's keys, any of them possibly missing (the schema says so). */
export type RawOptions<S extends z.ZodType> = { [K in keyof z.input<S>]?: z.input<S>[K] | undefined };

export const defineCommand = <S extends z.ZodType>(command: DataCommand<S>): DataCommand<S> => command;

export const EXIT_OK = 0;
/** The change was refused (e.g. the e-mail exists already). */
export const EXIT_REFUSED = 1;
/** Bad input: unknown option, team, e-mail …; commander's own usage errors use it too. */
export const EXIT_BAD_INPUT = 2;
/** The database cannot be opened (or is in use by another process that cannot take the command). */
export const EXIT_UNAVAILABLE = 3;

export const failed = (stderr: string, exitCode: number): CommandResult => ({ stdout: '', stderr: `${stderr}\n`, exitCode });

export function parseOptions<S extends z.ZodType>(
  command: DataCommand<S>,
  raw: unknown,
): { ok: true; options: z.output<S> } | { ok: false; result: CommandResult } {
  const parsed = command.options.safeParse(raw);
  if (parsed.success) return { ok: true, options: parsed.data };
  const messages = [...new Set(parsed.error.issues.map((i) => i.message))];
  return { ok: false, result: failed(messages.join('\n'), EXIT_BAD_INPUT) };
}

/** Runs a command where the caller stands; a refusal becomes its message and exit code, anything else is thrown. */
export async function runCommand(command: DataCommand, ctx: CommandContext, raw: unknown): Promise<CommandResult> {
  const parsed = parseOptions(command, raw);
  if (!parsed.ok) return parsed.result;
  try {
    return { stdout: await command.run(ctx, parsed.options), stderr: '', exitCode: EXIT_OK };
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    return failed(refusalText(err), err.code === 'Conflict' ? EXIT_REFUSED : EXIT_BAD_INPUT);
  }
}

/** The message and, below it, what the fields add ("unbekannt" alone says nothing on a command line). */
function refusalText(err: AppError): string {
  const details = Object.values(err.fields)
    .filter((message) => message !== err.message && message !== 'unbekannt')
    .map((message) => `  - ${message}`);
  return [err.message, ...details].join('\n');
}

/** A plain-text table for command output: columns padded to their widest cell, two spaces apart. */
export function textTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    `${cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd()}\n`;
  return line(header) + rows.map(line).join('');
}
