import { z } from 'zod';

/**
 * The one set of rules for text that enters from outside (forms, JSON, query strings, path
 * parameters, and the mail, social and Open311 channels that call the same functions): Unicode NFC,
 * no control characters except tab and line breaks, nothing that only a broken encoding produces.
 * PostgreSQL refuses NUL in text and would answer with an error that names the values, so such
 * input is refused here with a German message instead of reaching the database.
 */

/** C0 controls except tab, LF and CR; DEL; the C1 range. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
/** U+FFFD is what a decoder puts where the bytes were not UTF-8; noncharacters have no business in text. */
const BROKEN = /[\uFFFD\uFFFE\uFFFF\uFDD0-\uFDEF]/;
/** Half of a surrogate pair (JSON can spell one as "\ud800"); PostgreSQL cannot store it. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** Line breaks of every kind (a mail header or one line of a mail must not receive them). */
const LINE_BREAK = /[\r\n\u0085\u2028\u2029]/;
/** Bidi embeddings, overrides and isolates: they make a name or subject display in an order it was not typed. */
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/;

export type TextProblem = 'control' | 'encoding';

/** What is wrong with a text value, or null when it may pass. */
export function textProblem(value: string): TextProblem | null {
  if (BROKEN.test(value) || LONE_SURROGATE.test(value)) return 'encoding';
  if (CONTROL.test(value)) return 'control';
  return null;
}

/** A German sentence naming the field, for the error page, JSON answers and channel rejections. */
export function textProblemMessage(problem: TextProblem, label: string): string {
  return problem === 'encoding'
    ? `Das Feld „${label}“ enthält ungültige Zeichen (keine gültige UTF-8-Kodierung). Bitte geben Sie den Text noch einmal ein.`
    : `Das Feld „${label}“ enthält unzulässige Steuerzeichen. Bitte entfernen Sie sie und senden Sie erneut.`;
}

export type CheckedText = { ok: true; value: string } | { ok: false; problem: TextProblem };

/** Checks one value and returns it in NFC, so "ä" typed as a + combining mark equals "ä" in search and rules. */
export function checkText(value: string): CheckedText {
  const problem = textProblem(value);
  return problem ? { ok: false, problem } : { ok: true, value: value.normalize('NFC') };
}

/**
 * For text that must be taken in even when it is dirty (an inbound mail cannot be sent back to be
 * typed again): drops what `textProblem` would refuse, so the result passes the same rules. CR LF
 * and lone CR become LF, so every channel's text has one kind of line break.
 */
export function cleanText(value: string): string {
  return value
    .replace(/\r\n?/g, '\n')
    .replace(new RegExp(`${CONTROL.source}|${BROKEN.source}|${LONE_SURROGATE.source}`, 'g'), '')
    .normalize('NFC');
}

/** A problem found while walking a structure: the top-level field it sits in, and what it is. */
export interface FieldProblem {
  field: string;
  problem: TextProblem;
}

/**
 * Walks a parsed body, query or parameter object: strings are checked and replaced by their NFC
 * form in place, arrays and plain objects are walked (keys too), Buffers (uploaded files) and other
 * values are left alone. Returns the first problem, named by its top-level field.
 */
export function normaliseFields(input: unknown, name = 'body'): FieldProblem | null {
  if (typeof input === 'string') {
    const problem = textProblem(input);
    return problem ? { field: name, problem } : null;
  }
  if (!input || typeof input !== 'object' || Buffer.isBuffer(input)) return null;
  for (const [key, value] of Object.entries(input)) {
    const keyProblem = textProblem(key);
    if (keyProblem) return { field: key, problem: keyProblem };
    const problem = normaliseValue(input as Record<string, unknown>, key, value, 0);
    if (problem) return { field: key, problem };
  }
  return null;
}

const MAX_DEPTH = 32;

function normaliseValue(holder: Record<string, unknown>, key: string, value: unknown, depth: number): TextProblem | null {
  if (typeof value === 'string') {
    const checked = checkText(value);
    if (!checked.ok) return checked.problem;
    if (checked.value !== value) holder[key] = checked.value;
    return null;
  }
  if (!value || typeof value !== 'object' || Buffer.isBuffer(value) || depth > MAX_DEPTH) return null;
  for (const [k, v] of Object.entries(value)) {
    const problem = textProblem(k) ?? normaliseValue(value as Record<string, unknown>, k, v, depth + 1);
    if (problem) return problem;
  }
  return null;
}

/**
 * The normaliser as a Zod refinement, for channels that build their values themselves (mail,
 * social networks, Open311) and for the pipeline's own shape: refuses what `textProblem` finds.
 */
export function validText(label: string): (value: string, ctx: z.RefinementCtx<string>) => void {
  return (value, ctx) => {
    const problem = textProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: textProblemMessage(problem, label) });
  };
}

/**
 * For a single-line field (names, e-mail, subjects, titles, location, search): refuses line breaks
 * and bidi controls with a German message naming the field. Use after `.trim()`, e.g.
 * `z.string().trim().max(120, …).superRefine(singleLine('Der Name'))`.
 */
export function singleLine(subject: string): (value: string, ctx: z.RefinementCtx<string>) => void {
  return (value, ctx) => {
    if (LINE_BREAK.test(value)) ctx.addIssue({ code: 'custom', message: `${subject} muss in eine Zeile passen (ohne Zeilenumbruch).` });
    else if (BIDI_CONTROL.test(value))
      ctx.addIssue({ code: 'custom', message: `${subject} enthält Steuerzeichen für die Schreibrichtung. Bitte entfernen Sie sie.` });
  };
}

/** For text inserted into one line of a mail or a header: every line break becomes a space. */
export function oneLine(value: string): string {
  return value.replace(/\s*(?:\r\n|[\r\n\u0085\u2028\u2029])\s*/g, ' ').replace(new RegExp(BIDI_CONTROL.source, 'g'), '');
}

/** An e-mail address as every form takes it: trimmed, one line, valid, lower-cased. */
export const emailField = z
  .string({ message: 'Bitte geben Sie eine E-Mail-Adresse ein.' })
  .trim()
  .min(1, 'Bitte geben Sie eine E-Mail-Adresse ein.')
  .max(254, 'Die E-Mail-Adresse darf höchstens 254 Zeichen lang sein.')
  .superRefine(singleLine('Die E-Mail-Adresse'))
  .pipe(z.email({ message: 'Bitte geben Sie eine gültige E-Mail-Adresse ein, z. B. name@musterstadt.de.' }))
  .transform((v) => v.toLowerCase());
