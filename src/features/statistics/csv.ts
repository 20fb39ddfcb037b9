import type { Figures } from './figures.ts';
import { monthLabel } from './format.ts';

/**
 * All tables of /statistik in one CSV (RFC 4180, UTF-8 with BOM so spreadsheet programs read the
 * umlauts, semicolon-separated as German spreadsheets expect). Hidden cells stay empty.
 */
export function figuresCsv(f: Figures): string {
  const rows: Array<Array<string | number | null>> = [['Tabelle', 'Gruppe', 'Meldungen', 'Median (Stunden)', '90-%-Wert (Stunden)']];
  for (const c of f.months) rows.push(['Meldungen pro Monat', monthLabel(c.key, 'long'), c.n, null, null]);
  for (const c of f.categories) rows.push(['Meldungen nach Kategorie', c.key, c.n, null, null]);
  for (const c of f.districts) rows.push(['Meldungen nach Stadtteil', c.key, c.n, null, null]);
  const durations = [
    ['Bis zur ersten Antwort, nach Team', f.firstAnswerByTeam],
    ['Bis zur Erledigung, nach Team', f.resolutionByTeam],
    ['Bis zur ersten Antwort, nach Kategorie', f.firstAnswerByCategory],
    ['Bis zur Erledigung, nach Kategorie', f.resolutionByCategory],
  ] as const;
  for (const [table, list] of durations) {
    for (const d of list) rows.push([table, d.key, d.n, round(d.medianHours), round(d.p90Hours)]);
  }
  const fixChecks = [
    ['nach Kategorie', f.fixChecksByCategory],
    ['nach Team', f.fixChecksByTeam],
  ] as const;
  // Long format under the same header: one row per measure, so the columns keep their meaning.
  for (const [by, list] of fixChecks) {
    for (const c of list) {
      rows.push([`Wirklich behoben? Gefragt, ${by}`, c.key, c.asked, null, null]);
      rows.push([`Wirklich behoben? Antwort „ja“, ${by}`, c.key, c.yes, null, null]);
      rows.push([`Wirklich behoben? Antwort „nein“, ${by}`, c.key, c.no, null, null]);
    }
  }
  return `\uFEFF${rows.map((r) => r.map(field).join(';')).join('\r\n')}\r\n`;
}

const round = (h: number) => Math.round(h * 10) / 10;

function field(v: string | number | null): string {
  if (v === null) return '';
  const s = typeof v === 'number' ? String(v).replace('.', ',') : v;
  // Quote when needed; a leading =, +, - or @ would run as a formula in a spreadsheet.
  const safe = /^[=+\-@]/.test(s) && typeof v === 'string' ? `'${s}` : s;
  return /[";\r\n]/.test(safe) || safe !== s ? `"${safe.replaceAll('"', '""')}"` : safe;
}
