import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { invalid } from '../../../infra/errors.ts';
import type { TrainingRow } from './model.ts';

export interface LabelledCsv {
  rows: TrainingRow[];
  /** Label columns present in the file's header (whatever their values). */
  labelColumns: string[];
}

function toNumber(value: string | undefined): number | null {
  if (!value?.trim()) return null;
  const n = Number(value.replace(',', '.'));
  return Number.isFinite(n) ? n : null;
}

/**
 * Reads a CSV with a header: `text` (or `description`) is required; `lat`/`lon`, `address` and
 * `reported_at` (or `created_at`) are optional; each of `labelColumns` that the
 * header has becomes a label.
 */
export function parseLabelledCsv(content: string, labelColumns: readonly string[]): LabelledCsv {
  let records: Record<string, string>[];
  try {
    records = parse(content, { columns: true, skip_empty_lines: true, bom: true, relax_column_count: true });
  } catch (err) {
    const line = (err as { lines?: number }).lines;
    throw invalid(
      `Die CSV-Datei lässt sich nicht lesen${line ? ` (Zeile ${line})` : ''}. Bitte prüfen Sie Trennzeichen und Anführungszeichen.`,
    );
  }
  const header = Object.keys(records[0] ?? {});
  const textColumn = header.includes('text') ? 'text' : header.includes('description') ? 'description' : null;
  if (!textColumn) throw invalid('Die CSV-Datei braucht eine Spalte "text" (oder "description").');
  const present = labelColumns.filter((c) => header.includes(c));
  const rows = records.map((r) => ({
    text: r[textColumn] ?? '',
    lat: toNumber(r.lat),
    lon: toNumber(r.lon),
    address: r.address?.trim() || null,
    reportedAt: (r.reported_at ?? r.created_at)?.trim() || null,
    labels: Object.fromEntries(present.map((c) => [c, r[c]?.trim() || null])),
  }));
  return { rows, labelColumns: present };
}

export async function readLabelledCsv(file: string, labelColumns: readonly string[]): Promise<LabelledCsv> {
  return parseLabelledCsv(await readFile(file, 'utf8'), labelColumns);
}
