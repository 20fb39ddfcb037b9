import type { PostKind } from '../../../infra/schema/index.ts';

/** The kinds as the public reads them. */
export const kindLabels: Record<PostKind, string> = {
  news: 'Nachricht',
  notice: 'Amtliche Bekanntmachung',
  council: 'Vorlage erklärt',
  rule: 'Neue Regel erklärt',
  portrait: 'Mitarbeiterporträt',
  event: 'Termin',
};

/** The kinds in URLs (?art=…, /amtsblatt/feed.atom?art=…): German words, stable. */
export const kindSlugs: Record<PostKind, string> = {
  news: 'nachricht',
  notice: 'bekanntmachung',
  council: 'vorlage',
  rule: 'regel',
  portrait: 'portraet',
  event: 'termin',
};

const kindBySlug = new Map(Object.entries(kindSlugs).map(([kind, slug]) => [slug, kind as PostKind]));
export const kindOfSlug = (slug: string): PostKind | undefined => kindBySlug.get(slug);

/** "2026/17": the number of an official notice within its year. */
export const noticeLabel = (p: { noticeYear: number | null; noticeNumber: number | null }): string | null =>
  p.noticeYear !== null && p.noticeNumber !== null ? `${p.noticeYear}/${p.noticeNumber}` : null;

export const monthNames = [
  'Januar',
  'Februar',
  'März',
  'April',
  'Mai',
  'Juni',
  'Juli',
  'August',
  'September',
  'Oktober',
  'November',
  'Dezember',
];

/** "Amtsblatt der Stadt Musterstadt: Amtliche Bekanntmachung": the feed and its link say the same. */
export function feedTitle(townName: string, scope: { art?: string | undefined; schlagwort?: string | undefined }): string {
  const kind = scope.art ? kindOfSlug(scope.art) : undefined;
  const base = `Amtsblatt der Stadt ${townName}`;
  if (kind) return `${base}: ${kindLabels[kind]}`;
  if (scope.schlagwort) return `${base}: Schlagwort ${scope.schlagwort}`;
  return base;
}
