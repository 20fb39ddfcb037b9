import { describe, expect, it } from 'vitest';
import { matchesPattern, regexProblem } from './regex.ts';

describe('rule patterns on RE2', () => {
  // Each of these takes a backtracking engine seconds at 30 characters and hours at a few more
  // (the shapes, not necessarily these exact texts). Texts have at most n characters.
  const hostile: [pattern: string, text: (n: number) => string, expected: boolean][] = [
    ['(x|y)*z$', (n) => 'xy'.repeat(n / 2), false],
    ['(x|y)*z$', (n) => `${'xy'.repeat(n / 2 - 1)}z`, true],
    ['(a+)+$', (n) => `${'a'.repeat(n - 1)}!`, false],
    ['(a+)+$', (n) => `!${'a'.repeat(n - 1)}`, true],
    ['(a|a)*b', (n) => 'a'.repeat(n), false],
    ['(a|a)*b', (n) => `${'a'.repeat(n - 1)}b`, true],
    ['^(\\w+\\s?)*$', (n) => `${'wort '.repeat(n / 5 - 1)}!`, false],
    ['^(\\w+\\s?)*$', (n) => 'wort '.repeat(n / 5).trim(), true],
  ];

  it('accepts the patterns that freeze a backtracking engine and answers them at once, up to the text cap', () => {
    for (const [pattern, text, expected] of hostile) {
      expect(regexProblem(pattern), pattern).toBeNull();
      for (const n of [30, 1000, 5000]) {
        const started = performance.now();
        expect(matchesPattern(pattern, text(n)), `${pattern} on ${n} characters`).toBe(expected);
        // Generous for a loaded machine; the backtracking engine needs seconds at n = 30 already.
        expect(performance.now() - started, `${pattern} on ${n} characters`).toBeLessThan(1000);
      }
    }
  });

  it('matches case-insensitively on Unicode text, anywhere in the text', () => {
    expect(matchesPattern('schlag(loch|löcher)', 'Viele SCHLAGLÖCHER hier')).toBe(true);
    expect(matchesPattern('ÄMTER', 'zwei ämter')).toBe(true);
    expect(matchesPattern('^\\p{L}+$', 'Straßenbeleuchtung')).toBe(true);
    expect(matchesPattern('^.$', '🚧')).toBe(true);
    expect(matchesPattern('\\x{00e4}', 'Bäume')).toBe(true);
    expect(matchesPattern('^ampel', 'Die Ampel')).toBe(false);
  });

  it('looks only at the first 5,000 characters', () => {
    expect(matchesPattern('ende$', `${'x'.repeat(4996)}ende`)).toBe(true);
    expect(matchesPattern('ende', `${'x'.repeat(5000)}ende`)).toBe(false);
  });

  it('says in German why a pattern cannot be used', () => {
    const cases: [string, RegExp][] = [
      ['(a)\\1', /Rückverweis wie \\1 .* nicht unterstützt/],
      ['(?<n>a)\\k<n>', /Rückverweis/],
      ['(?=a)b', /Vorausschau .* nicht unterstützt/],
      ['a(?!b)', /Vorausschau/],
      ['(?<=a)b', /Rückschau .* nicht unterstützt/],
      ['(?<!a)b', /Rückschau/],
      ['\\u00e4', /\\x\{00e4\}/],
      ['[', /eckige Klammer „\[“ wird nicht geschlossen/],
      ['(a', /runde Klammer „\(“ wird nicht geschlossen/],
      ['a)', /fehlt die öffnende/],
      ['*a', /Vor „\*“ steht nichts/],
      ['a**', /Zwei Wiederholungszeichen hintereinander/],
      ['a{2,1}', /Wiederholung „\{2,1\}“ ist ungültig/],
      ['(x{100}){100}', /höchstens 1000/],
      ['[z-a]', /„z-a“ ist keine gültige/],
      ['\\p{Klingonisch}', /keine gültige Zeichenklasse/],
      ['a\\', /endet mit einem einzelnen/],
      ['\\Z', /„\\Z“ ist unbekannt/],
      ['(?x)a', /Gruppe „\(\?x…“ ist unbekannt/],
      ['(\\p{L}|\\p{N}|.){200}q', /zu aufwendig/],
      ['a'.repeat(201), /höchstens 200 Zeichen/],
    ];
    for (const [pattern, message] of cases) expect(regexProblem(pattern), pattern).toMatch(message);
    for (const [pattern] of cases) expect(regexProblem(pattern), pattern).not.toMatch(/error|parsing|invalid/i);
  });
});
