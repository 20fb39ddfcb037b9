import { oneLine } from '../../infra/text-input.ts';

/**
 * Textbausteine: {{variable}} placeholders filled from the case. A placeholder this version does
 * not know stays in the text as written, so a typo in a template shows up in the reply box
 * (where the clerk reads it before sending) instead of silently vanishing from the citizen's mail.
 */
export const templateVariables = {
  name: 'Name der meldenden Person',
  vorgang: 'Vorgangsnummer, z. B. 2026-00042',
  kategorie: 'Kategorie des Anliegens',
  frist: 'Frist für die Erledigung (ohne Frist: „bald“)',
  team: 'Name des zuständigen Teams',
  mitarbeiter: 'Ihr Name',
} as const;
export type TemplateVariable = keyof typeof templateVariables;
export type TemplateValues = Record<TemplateVariable, string>;

const PLACEHOLDER = /\{\{\s*([\p{L}_]+)\s*\}\}/gu;

/** Every value is one line (names, numbers, dates), so a name with line breaks cannot add lines to a reply. */
export function renderTemplate(body: string, values: TemplateValues): string {
  return body.replace(PLACEHOLDER, (whole, raw: string) => {
    const name = raw.toLowerCase();
    return Object.hasOwn(values, name) ? oneLine(values[name as TemplateVariable]) : whole;
  });
}

/** Placeholders in a template that this version does not fill, for a hint when saving it. */
export function unknownVariables(body: string): string[] {
  const found = new Set<string>();
  for (const m of body.matchAll(PLACEHOLDER)) {
    const name = (m[1] ?? '').toLowerCase();
    if (!Object.hasOwn(templateVariables, name)) found.add(m[0]);
  }
  return [...found];
}

const dateFormat = new Intl.DateTimeFormat('de-DE', { timeZone: 'Europe/Berlin', day: '2-digit', month: '2-digit', year: 'numeric' });

/** What a case gives to its templates; missing facts get words that still read well in a sentence. */
export function valuesForCase(c: {
  reporterName: string | null;
  number: string;
  categoryName: string | null;
  teamName: string | null;
  dueAt: Date | null;
  staffName: string;
}): TemplateValues {
  return {
    name: c.reporterName?.trim() || 'liebe Bürgerin, lieber Bürger',
    vorgang: c.number,
    kategorie: c.categoryName ?? 'Ihr Anliegen',
    frist: c.dueAt ? dateFormat.format(c.dueAt) : 'bald',
    team: c.teamName ?? 'Bürgerservice',
    mitarbeiter: c.staffName,
  };
}
