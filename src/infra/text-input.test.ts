import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { checkText, cleanText, normaliseFields, oneLine, singleLine, textProblem } from './text-input.ts';

describe('text input normaliser', () => {
  it.each([
    ['NUL', 'a\u0000b', 'control'],
    ['escape', 'a\u001bb', 'control'],
    ['DEL', 'a\u007fb', 'control'],
    ['C1 control', 'a\u0085b', 'control'],
    ['replacement character from broken UTF-8', 'a\uFFFDb', 'encoding'],
    ['noncharacter', 'a\uFFFFb', 'encoding'],
    ['lone high surrogate', 'a\uD800b', 'encoding'],
    ['lone low surrogate', '\uDC00', 'encoding'],
  ])('refuses %s', (_name, value, problem) => {
    expect(textProblem(value)).toBe(problem);
  });

  it('lets tab, line breaks, umlauts, emoji and HTML through, in NFC', () => {
    expect(checkText('Zeile 1\r\n\tZeile 2 – Straße 😀 <b>')).toEqual({ ok: true, value: 'Zeile 1\r\n\tZeile 2 – Straße 😀 <b>' });
    expect(checkText('a\u0308')).toEqual({ ok: true, value: 'ä' });
  });

  it('cleanText drops what would be refused, unifies line breaks and returns NFC that passes', () => {
    const dirty = 'a\u0000b\u001b\uFFFDc\uD800\r\nd\re\u0085f\ta\u0308 😀';
    expect(cleanText(dirty)).toBe('abc\nd\nef\tä 😀');
    expect(textProblem(cleanText(dirty))).toBeNull();
  });

  it('walks bodies in place, leaves uploaded files alone and names the field of the first problem', () => {
    const file = Buffer.from([0, 0xff]);
    const body: Record<string, unknown> = { name: 'Jo\u0308rg', photos: [file], nested: { list: ['ok'] } };
    expect(normaliseFields(body)).toBeNull();
    expect(body.name).toBe('Jörg');
    expect(body.photos).toEqual([file]);
    expect(normaliseFields({ ok: 'x', tags: ['fine', 'bad\u0000'] })).toEqual({ field: 'tags', problem: 'control' });
    expect(normaliseFields({ 'k\u0000': 'x' })).toEqual({ field: 'k\u0000', problem: 'control' });
    expect(normaliseFields('\u0000', 'body')).toEqual({ field: 'body', problem: 'control' });
  });

  it('singleLine refuses line breaks and bidi controls with a German message', () => {
    const schema = z.string().trim().superRefine(singleLine('Der Name'));
    expect(schema.safeParse('  Erika Mustermann\n').success).toBe(true);
    expect(schema.safeParse('Erika\r\nBcc: x@example.org').error?.issues[0]?.message).toBe(
      'Der Name muss in eine Zeile passen (ohne Zeilenumbruch).',
    );
    expect(schema.safeParse('Erika \u202Egnp.exe').error?.issues[0]?.message).toContain('Schreibrichtung');
  });

  it('oneLine turns every line break into one space', () => {
    expect(oneLine('Erika\r\n\r\nSehr geehrte\u2028Damen')).toBe('Erika Sehr geehrte Damen');
  });
});
