/**
 * Open311 dates: the cached-offset w3() against luxon's zone formatting it replaced, over 50,000
 * dates a minute apart (docs/PERFORMANCE.md). Not a test. Run: npx tsx bench/w3-date.ts
 */
import { loadavg } from 'node:os';
import { DateTime } from 'luxon';
import { w3 } from '../src/features/open311/w3-date.ts';

const dates = Array.from({ length: 50_000 }, (_, i) => new Date(Date.UTC(2026, 0, 1) + i * 61_000));
const perDate = (fn: (d: Date) => string) => {
  const started = performance.now();
  for (const d of dates) fn(d);
  return ((performance.now() - started) * 1000) / dates.length;
};
const luxon = perDate((d) => DateTime.fromJSDate(d, { zone: 'Europe/Berlin' }).toFormat("yyyy-MM-dd'T'HH:mm:ssZZ"));
const ours = perDate(w3);
process.stdout.write(
  `luxon ${luxon.toFixed(2)} µs/date (baseline), w3 ${ours.toFixed(2)} µs/date, ${(luxon / ours).toFixed(1)}× faster; load average ${loadavg()[0]?.toFixed(1)}\n`,
);
