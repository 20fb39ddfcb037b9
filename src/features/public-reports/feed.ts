import { XMLBuilder } from 'fast-xml-parser';
import { DateTime } from 'luxon';
import { xmlSafe } from '../../infra/xml.ts';
import { caseTypeLabels } from '../cases/labels.ts';
import { type PublicCase, publicStatusLabels } from '../transparency/projection/read.ts';
import { type FilterValues, queryString } from './filters.ts';

/** Entries per feed: the newest reports; a reader that polls keeps the older ones itself. */
export const FEED_SIZE = 50;
export const ATOM_TYPE = 'application/atom+xml';
const ATOM_NS = 'http://www.w3.org/2005/Atom';

/** The feed of the given filters, relative (for links on pages) or absolute (inside the feed). */
export const feedPath = (values: FilterValues) => `/meldungen/feed.atom${queryString(values)}`;

/** Display names of the values a filter can take, for the feed's title. */
export interface FilterLabels {
  categories: ReadonlyMap<string, string>;
  districts: ReadonlyMap<string, string>;
}

const day = (iso: string) => DateTime.fromISO(iso).toFormat('dd.MM.yyyy');

/** "Meldungen in Musterstadt: Kategorie Straßenbeleuchtung, Stadtteil Altstadt": the feed and its link say the same. */
export function feedTitle(townName: string, values: FilterValues, labels: FilterLabels): string {
  const parts = [
    values.kategorie && `Kategorie ${labels.categories.get(values.kategorie) ?? values.kategorie}`,
    values.art && `Art ${caseTypeLabels[values.art as keyof typeof caseTypeLabels] ?? values.art}`,
    values.status && `Status ${publicStatusLabels[values.status as keyof typeof publicStatusLabels] ?? values.status}`,
    values.bezirk && `Stadtteil ${labels.districts.get(values.bezirk) ?? values.bezirk}`,
    values.von && `gemeldet ab ${day(values.von)}`,
    values.bis && `gemeldet bis ${day(values.bis)}`,
  ].filter(Boolean);
  return parts.length > 0 ? `Meldungen in ${townName}: ${parts.join(', ')}` : `Meldungen in ${townName}`;
}

const builder = new XMLBuilder({
  format: true,
  indentBy: '  ',
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  suppressEmptyNode: true,
  processEntities: true,
});

const text = (s: string) => ({ '#text': xmlSafe(s), '@type': 'text' });
const link = (rel: string, type: string, href: string) => ({ '@rel': rel, '@type': type, '@href': href });

function entry(c: PublicCase, publicUrl: string) {
  const url = `${publicUrl}/meldungen/${encodeURIComponent(c.number)}`;
  const status = publicStatusLabels[c.status];
  const about = [c.categoryName ?? (c.type ? caseTypeLabels[c.type] : null), c.districtName].filter(Boolean).join(', ');
  const facts = [`Status: ${status}`, `Kategorie: ${c.categoryName ?? 'keine'}`, `Stadtteil: ${c.districtName ?? 'nicht zugeordnet'}`];
  return {
    // The case's permanent page is its identity: it never changes while the case is public.
    id: url,
    title: text(`Meldung ${c.number}${about ? `: ${about}` : ''} (${status})`),
    link: link('alternate', 'text/html', url),
    published: c.reportedAt.toISOString(),
    updated: c.updatedAt.toISOString(),
    category: [
      ...(c.categorySlug && c.categoryName
        ? [{ '@term': c.categorySlug, '@label': xmlSafe(c.categoryName), '@scheme': `${publicUrl}/meldungen#kategorie` }]
        : []),
      ...(c.districtId !== null && c.districtName
        ? [{ '@term': String(c.districtId), '@label': xmlSafe(c.districtName), '@scheme': `${publicUrl}/meldungen#stadtteil` }]
        : []),
      { '@term': c.status, '@label': status, '@scheme': `${publicUrl}/meldungen#status` },
    ],
    summary: text(facts.join(' · ')),
    // The projection's text is the masked public text; as type="text" a reader shows it, never runs it.
    content: text(`${c.text}\n\n${facts.join('\n')}`),
  };
}

/**
 * An Atom 1.0 feed (RFC 4287) of public cases, newest report first: feed id = its own canonical
 * URL (the filters in a fixed order), entry id = the case's permanent page. `updated` is the newest
 * change among the entries, so it moves when a case in it changes its public status.
 */
export function atomFeed(p: { rows: readonly PublicCase[]; values: FilterValues; title: string; townName: string; publicUrl: string }): {
  xml: string;
  updated: Date;
} {
  const self = `${p.publicUrl}${feedPath(p.values)}`;
  // An empty feed has not changed since it began: a fixed instant keeps its ETag stable.
  const updated = new Date(Math.max(0, ...p.rows.map((r) => r.updatedAt.getTime())));
  const feed = {
    '@xmlns': ATOM_NS,
    '@xml:lang': 'de',
    id: self,
    title: text(p.title),
    subtitle: text(
      `Neue öffentliche Meldungen an die Stadt ${p.townName}, die neuesten ${FEED_SIZE} zuerst. Persönliche Angaben werden nicht veröffentlicht.`,
    ),
    updated: updated.toISOString(),
    author: { name: xmlSafe(`Stadt ${p.townName}`), uri: p.publicUrl },
    link: [link('self', ATOM_TYPE, self), link('alternate', 'text/html', `${p.publicUrl}/meldungen${queryString(p.values)}`)],
    generator: 'Amtsblatt 2.0',
    entry: p.rows.map((r) => entry(r, p.publicUrl)),
  };
  return { xml: `<?xml version="1.0" encoding="utf-8"?>\n${builder.build({ feed })}`, updated };
}
