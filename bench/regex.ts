/**
 * Rule patterns: RE2 (re2js, what the rules engine uses) against JavaScript's backtracking RegExp
 * (what it used before) on the patterns that freeze a backtracking engine, each with a text that
 * does not match (the worst case: every way of splitting the text is tried). Not a test: it prints
 * a table for docs/PERFORMANCE.md.
 *
 *   npx tsx bench/regex.ts [--max-backtracking-ms 3000]
 *
 * The backtracking engine runs only at lengths where it still finishes: once one length costs more
 * than the limit, longer texts are skipped (each further character roughly doubles the time).
 * RE2 runs at the same lengths and at the intake limit of 5,000 characters; its figure is the
 * median of 51 runs, the backtracking one of 3 (1 above 500 ms).
 */
import { parseArgs } from 'node:util';
import { MATCH_TEXT_LIMIT, matchesPattern } from '../src/features/routing/rules/regex.ts';
import { percentile } from './stats.ts';

const { values: args } = parseArgs({ options: { 'max-backtracking-ms': { type: 'string', default: '3000' } } });
const LIMIT_MS = Number(args['max-backtracking-ms']);

const cases: { pattern: string; text: (n: number) => string }[] = [
  // The shape the old check let through: alternatives that overlap, under a star, then a literal.
  { pattern: '(a|a)*b', text: (n) => 'a'.repeat(n) },
  { pattern: '(\\w|\\d)*z$', text: (n) => '1'.repeat(n) },
  { pattern: '(x|y)*z$', text: (n) => 'xy'.repeat(n / 2) },
  // Nested repetitions (the old check refused these; RE2 takes them).
  { pattern: '(a+)+$', text: (n) => `${'a'.repeat(n - 1)}!` },
  { pattern: '^(\\w+\\s?)*$', text: (n) => `${'a'.repeat(n - 1)}!` },
];
const LENGTHS = [16, 18, 20, 22, 24, 26];
const LONGEST_SHORT = 26;

function time(run: () => boolean, runs: number): { ms: number; result: boolean } {
  const samples: number[] = [];
  let result = false;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    result = run();
    samples.push(performance.now() - started);
    if (samples[0] !== undefined && samples[0] > 500) break;
  }
  return {
    ms: percentile(
      samples.sort((a, b) => a - b),
      50,
    ),
    result,
  };
}

const fmtMs = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms >= 1 ? ms.toFixed(1) : ms.toFixed(3));

console.log(`node ${process.version}, backtracking skipped past ${LIMIT_MS} ms; times in ms (median)`);
console.log('| pattern | chars | backtracking RegExp | RE2 |');
console.log('|---|--:|--:|--:|');
for (const { pattern, text } of cases) {
  // Warm up both engines (and RE2's compile cache) on a short text first.
  matchesPattern(pattern, text(8));
  new RegExp(pattern, 'iu').test(text(8));
  let tooSlow = false;
  for (const n of [...LENGTHS, MATCH_TEXT_LIMIT]) {
    const input = text(n);
    const re2 = time(() => matchesPattern(pattern, input), 51);
    let old = '–';
    if (!tooSlow && n <= LONGEST_SHORT) {
      const re = new RegExp(pattern, 'iu');
      const bt = time(() => re.test(input), 3);
      if (bt.result !== re2.result) throw new Error(`engines disagree on ${pattern} at ${n}`);
      old = fmtMs(bt.ms);
      tooSlow = bt.ms > LIMIT_MS;
    } else if (n <= LONGEST_SHORT) old = 'skipped';
    console.log(`| \`${pattern.replaceAll('|', '\\|')}\` | ${n} | ${old} | ${fmtMs(re2.ms)} |`);
  }
}
