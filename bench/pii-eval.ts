/**
 * How well the privacy filter (src/features/transparency/masking) finds personal data in real report
 * texts, for docs/PERFORMANCE.md. Not a test: it prints numbers.
 *
 *   npx tsx bench/pii-eval.ts [--data DIR] [--print random|cues]
 *
 * The texts are the Konstanz Mängelmelder's test.csv (../shared/data, never copied here); the
 * repository holds only hand labels: report id, kind and character offsets (bench/pii/*.json).
 * Two samples of test.csv, both drawn without looking at the filter's output:
 *   random: the 200 ids with the smallest SHA-256 of `pii-random:<id>`;
 *   cues:   every other report with a name cue (Frau/Herr/Familie + a capitalised word, or a
 *           greeting such as "Grüße", "Gruß", "MfG"), because random reports hold few names.
 * A found span counts as a hit when it overlaps a labelled span of the same kind (one hit per label
 * and per found span); precision = found spans that hit / found spans, recall = labels hit / labels.
 * House numbers are masked only for categories that ask for it, so they are scored in their own run
 * with `maskHouseNumbers`; the other kinds in a run without it, as most categories publish. The
 * baseline is the filter before names, IBANs, plates and house numbers were added (mail, link and
 * every run of six digits as a phone), measured on the same labels in the same run.
 * Last, the whole of test.csv without labels: how many spans of each kind the filter and the
 * baseline report, and the ids of the filter's name, plate, phone and IBAN hits, to check by hand.
 * --print writes a sample's texts to the terminal, for labelling.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parse } from 'csv-parse/sync';
import { findPersonalData } from '../src/infra/masking/mask.ts';
import type { TextMask } from '../src/infra/schema/index.ts';

type Kind = TextMask['kind'];
interface Label {
  id: string;
  kind: Kind;
  start: number;
  end: number;
}
interface LabelFile {
  sample: string;
  /** Every labelled report with the length of its text, so a changed data file is noticed. */
  reports: Array<{ id: string; length: number }>;
  labels: Label[];
}
type Span = Omit<TextMask, 'unmasked'>;

const { values: args } = parseArgs({
  options: {
    data: { type: 'string', default: join(import.meta.dirname, '..', '..', 'shared', 'data', 'maengelmelder-konstanz') },
    print: { type: 'string' },
  },
});
const testFile = join(args.data, 'test.csv');
if (!existsSync(testFile)) {
  process.stdout.write(`Skipped: ${testFile} not found (the data lives in ../shared/data next to the repository).\n`);
  process.exit(0);
}
const rows: Array<{ id: string; text: string }> = parse(readFileSync(testFile, 'utf8'), { columns: true, bom: true });
const textOf = new Map(rows.map((r) => [r.id, r.text]));

const HONORIFIC_CUE = /(?<!\p{L})(?:Herrn?|Frau|Familie|Fam\.|Hr\.|Fr\.)[ \t]+\p{Lu}/u;
const GREETING_CUE = /(?<!\p{L})(?:grüßen?|grüssen?|gruß|gruss|mfg|lg|vg)(?!\p{L})/iu;

function sha(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}
const randomSample = [...rows]
  .sort((a, b) => (sha(`pii-random:${a.id}`) < sha(`pii-random:${b.id}`) ? -1 : 1))
  .slice(0, 200)
  .map((r) => r.id);
const inRandom = new Set(randomSample);
const cueSample = rows.filter((r) => !inRandom.has(r.id) && (HONORIFIC_CUE.test(r.text) || GREETING_CUE.test(r.text))).map((r) => r.id);

if (args.print) {
  const ids = args.print === 'cues' ? cueSample : randomSample;
  for (const id of ids) process.stdout.write(`### ${id}\n${JSON.stringify(textOf.get(id))}\n`);
  process.exit(0);
}

/** The filter as it was before this evaluation: mail, link, any six digits as a phone. */
function baseline(text: string): Span[] {
  const spans: Span[] = [];
  const add = (re: RegExp, kind: Kind, keep: (m: string) => boolean = () => true) => {
    for (const m of text.matchAll(re)) if (keep(m[0])) spans.push({ kind, start: m.index, end: m.index + m[0].length });
  };
  add(/[^\s@<>()[\]]+@[^\s@<>()[\]]+\.[^\s@<>()[\].,;:!?]+/g, 'email');
  add(/\b(?:https?:\/\/|www\.)[^\s<>]+[^\s<>.,;:!?)]/gi, 'url');
  add(/(?:\+\d{1,3}[\s/.-]*)?\(?\d[\d\s/.()-]{4,}\d/g, 'phone', (m) => m.replace(/\D/g, '').length >= 6);
  return spans;
}

interface Tally {
  found: number;
  correct: number;
  labels: number;
  caught: number;
}
const overlaps = (a: Span, b: Span) => a.kind === b.kind && a.start < b.end && b.start < a.end;

function score(labelFile: LabelFile, find: (text: string) => Span[], kinds: (k: Kind) => boolean) {
  const byKind = new Map<Kind, Tally>();
  const tally = (k: Kind) => byKind.get(k) ?? (byKind.set(k, { found: 0, correct: 0, labels: 0, caught: 0 }).get(k) as Tally);
  const misses: Array<{ id: string; kind: Kind; missed: number; wrong: number }> = [];
  for (const { id, length } of labelFile.reports) {
    const text = textOf.get(id);
    if (text === undefined || text.length !== length)
      throw new Error(`Report ${id} is missing or changed in ${testFile}: the labels no longer fit.`);
    const gold = labelFile.labels.filter((l) => l.id === id && kinds(l.kind));
    const found = find(text).filter((s) => kinds(s.kind));
    const perKind = new Map<Kind, { missed: number; wrong: number }>();
    for (const s of found) {
      const t = tally(s.kind);
      t.found++;
      if (gold.some((g) => overlaps(g, s))) t.correct++;
      else perKind.set(s.kind, { missed: perKind.get(s.kind)?.missed ?? 0, wrong: (perKind.get(s.kind)?.wrong ?? 0) + 1 });
    }
    for (const g of gold) {
      const t = tally(g.kind);
      t.labels++;
      if (found.some((s) => overlaps(g, s))) t.caught++;
      else perKind.set(g.kind, { missed: (perKind.get(g.kind)?.missed ?? 0) + 1, wrong: perKind.get(g.kind)?.wrong ?? 0 });
    }
    for (const [kind, n] of perKind) misses.push({ id, kind, ...n });
  }
  return { byKind, misses };
}

const pct = (a: number, b: number) => (b === 0 ? '   –  ' : `${((100 * a) / b).toFixed(1).padStart(5)} %`);
const KINDS: Kind[] = ['name', 'email', 'phone', 'iban', 'plate', 'url'];
function printTable(title: string, byKind: Map<Kind, Tally>, kinds: Kind[] = KINDS) {
  process.stdout.write(`\n${title}\n  kind          labels found  precision  recall\n`);
  const all: Tally = { found: 0, correct: 0, labels: 0, caught: 0 };
  for (const kind of kinds) {
    const t = byKind.get(kind) ?? { found: 0, correct: 0, labels: 0, caught: 0 };
    for (const k of ['found', 'correct', 'labels', 'caught'] as const) all[k] += t[k];
    process.stdout.write(
      `  ${kind.padEnd(13)} ${String(t.labels).padStart(6)} ${String(t.found).padStart(5)}  ${pct(t.correct, t.found)}  ${pct(t.caught, t.labels)}\n`,
    );
  }
  process.stdout.write(
    `  ${'all'.padEnd(13)} ${String(all.labels).padStart(6)} ${String(all.found).padStart(5)}  ${pct(all.correct, all.found)}  ${pct(all.caught, all.labels)}\n`,
  );
}

const samples: Array<[string, string[]]> = [
  ['random', randomSample],
  ['cues', cueSample],
];
for (const [name, ids] of samples) {
  const file = join(import.meta.dirname, 'pii', `labels-test-${name}.json`);
  const labelFile = JSON.parse(readFileSync(file, 'utf8')) as LabelFile;
  const drawn = new Set(ids);
  if (labelFile.reports.length !== ids.length || labelFile.reports.some((r) => !drawn.has(r.id))) {
    throw new Error(`${file} does not label the sample "${name}" as drawn now (${ids.length} reports).`);
  }
  const reports = labelFile.reports.length;
  process.stdout.write(`\n== Sample "${name}": ${reports} reports of test.csv, ${labelFile.labels.length} labels ==\n`);
  const notHouse = (k: Kind) => k !== 'house_number';
  const now = score(labelFile, (t) => findPersonalData(t), notHouse);
  printTable('Filter, categories without house-number masking (all kinds but house_number):', now.byKind);
  printTable('Baseline (mail, link, six digits as phone), same labels:', score(labelFile, baseline, notHouse).byKind);
  const house = score(
    labelFile,
    (t) => findPersonalData(t, { maskHouseNumbers: true }),
    (k) => k === 'house_number',
  );
  printTable('Filter with maskHouseNumbers (house_number only):', house.byKind, ['house_number']);
  const worst = [...now.misses, ...house.misses].sort((a, b) => b.missed + b.wrong - (a.missed + a.wrong)).slice(0, 15);
  process.stdout.write(
    `  worst reports (id kind missed/false hits): ${worst.map((w) => `${w.id} ${w.kind} ${w.missed}/${w.wrong}`).join(', ') || 'none'}\n`,
  );
}

process.stdout.write(`\n== All ${rows.length} reports of test.csv, no labels: spans found (filter / baseline) ==\n`);
const counts = new Map<Kind, [number, number]>();
const hits = new Map<Kind, string[]>();
findPersonalData('Frau Muster'); // loads the name lists, which the first report would otherwise pay for
const started = performance.now();
for (const r of rows) findPersonalData(r.text, { maskHouseNumbers: true });
const perReport = (performance.now() - started) / rows.length;
for (const r of rows) {
  for (const s of findPersonalData(r.text)) {
    const c = counts.get(s.kind) ?? counts.set(s.kind, [0, 0]).get(s.kind) ?? [0, 0];
    c[0]++;
    hits.set(s.kind, [...(hits.get(s.kind) ?? []), r.id]);
  }
  for (const s of baseline(r.text)) {
    const c = counts.get(s.kind) ?? counts.set(s.kind, [0, 0]).get(s.kind) ?? [0, 0];
    c[1]++;
  }
}
for (const kind of KINDS) {
  const [now, before] = counts.get(kind) ?? [0, 0];
  const ids = ['name', 'plate', 'phone', 'iban'].includes(kind) && now > 0 ? `   ids: ${(hits.get(kind) ?? []).join(', ')}` : '';
  process.stdout.write(`  ${kind.padEnd(13)} ${String(now).padStart(5)} / ${String(before).padStart(5)}${ids}\n`);
}
process.stdout.write(`  time: ${perReport.toFixed(3)} ms per report (mean over all reports, house numbers on, name lists loaded)\n`);
