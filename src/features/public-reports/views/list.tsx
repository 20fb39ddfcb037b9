import type { Config } from '../../../config.ts';
import { caseTypes, publicStatuses } from '../../../infra/schema/index.ts';
import { Button, ErrorSummary, type Option, SelectField, TextField } from '../../../ui/forms.tsx';
import { Layout, type PageContext } from '../../../ui/layout.tsx';
import { caseTypeLabels } from '../../cases/labels.ts';
import { type PublicCase, publicStatusLabels } from '../../transparency/projection/read.ts';
import { ATOM_TYPE } from '../feed.ts';
import { type FilterValues, PAGE_SIZE, queryString } from '../filters.ts';
import { PublicStatusBadge, ReportedDay } from './parts.tsx';

export interface ListResult {
  total: number;
  /** The count stopped at its cap: there are more than `total`. */
  totalAtLeast: boolean;
  page: number;
  /** Unknown (null) beyond the count's cap. */
  lastPage: number | null;
  hasNext: boolean;
  rows: PublicCase[];
  /** The page asked for lay past the last one; the last page is shown instead. */
  clampedFrom: number | null;
}

export interface ListProps {
  ctx: PageContext;
  values: FilterValues;
  errors: Record<string, string>;
  categories: Option[];
  districts: Option[];
  /** Null when the filters are invalid: the page shows the form with its errors and no list. */
  result: ListResult | null;
  map: Config['map'];
  /** The Atom feed of the current filters. */
  feed: { href: string; title: string };
}

/** The list's columns; each cell repeats its column's name as data-label for the stacked phone layout. */
const COLUMNS = ['Nummer', 'Worum es geht', 'Kategorie', 'Stadtteil', 'Status', 'Gemeldet'];

const count = (n: number) => `${n.toLocaleString('de-DE')} ${n === 1 ? 'Meldung' : 'Meldungen'}`;
const countOf = (r: ListResult) => (r.totalAtLeast ? `Mehr als ${count(r.total)}` : count(r.total));

/**
 * /meldungen: the filters (a GET form), the map (shown only by islands/public-map.ts) and the list.
 * Without JavaScript the list is the page; with it, the map shows the same cases as the list.
 */
export function ListPage(props: ListProps) {
  const { values, errors, result } = props;
  return (
    <Layout
      ctx={props.ctx}
      title="Meldungen"
      head={
        <>
          <link rel="stylesheet" href="/assets/leaflet/leaflet.css" />
          <link rel="stylesheet" href="/assets/markercluster/MarkerCluster.css" />
          <link rel="stylesheet" href="/assets/markercluster/MarkerCluster.Default.css" />
          <link rel="alternate" type={ATOM_TYPE} title={props.feed.title} href={props.feed.href} />
        </>
      }
      scripts={['/assets/js/public-map.js']}
    >
      <h1 class="kern-heading-large">Meldungen</h1>
      <p class="kern-body">
        Was Bürgerinnen und Bürger der Stadt {props.ctx.townName} gemeldet haben und wie weit es ist. Persönliche Angaben werden nicht
        veröffentlicht.
      </p>
      <p class="kern-body">
        <a class="kern-link" href="/meldungen/benachrichtigungen">
          Per E-Mail über neue Meldungen in Ihrer Nähe informiert werden
        </a>
      </p>
      <ErrorSummary errors={errors} />
      <form method="get" action="/meldungen" class="form-stack" aria-label="Meldungen filtern">
        <div class="filters">
          <SelectField
            name="kategorie"
            label="Kategorie"
            value={values.kategorie}
            error={errors.kategorie}
            emptyLabel="alle"
            options={props.categories}
          />
          <SelectField
            name="art"
            label="Art"
            value={values.art}
            error={errors.art}
            emptyLabel="alle"
            options={caseTypes.map((t) => ({ value: t, label: caseTypeLabels[t] }))}
          />
          <SelectField
            name="status"
            label="Status"
            value={values.status}
            error={errors.status}
            emptyLabel="alle"
            options={publicStatuses.map((s) => ({ value: s, label: publicStatusLabels[s] }))}
          />
          <SelectField
            name="bezirk"
            label="Stadtteil"
            value={values.bezirk}
            error={errors.bezirk}
            emptyLabel="alle"
            options={props.districts}
          />
          <TextField name="von" type="date" label="Gemeldet ab" value={values.von} error={errors.von} />
          <TextField name="bis" type="date" label="Gemeldet bis" value={values.bis} error={errors.bis} />
        </div>
        <div class="filters">
          <Button>Filtern</Button>
          <a class="kern-link" href="/meldungen">
            Filter zurücksetzen
          </a>
          <a class="kern-link" href={props.feed.href} type={ATOM_TYPE} title={props.feed.title}>
            Als Feed abonnieren
          </a>
        </div>
      </form>
      {errors.seite && (
        <p class="kern-body">
          <a class="kern-link" href={`/meldungen${queryString(values)}`}>
            Zur ersten Seite
          </a>
        </p>
      )}
      {result && <MapBlock map={props.map} values={values} />}
      <section id="liste" aria-labelledby="liste-titel" tabIndex={-1}>
        {result ? (
          <Results result={result} values={values} />
        ) : (
          <h2 id="liste-titel" class="kern-heading-medium">
            Keine Ergebnisse
          </h2>
        )}
      </section>
    </Layout>
  );
}

/** Hidden until the island starts; the skip link lets keyboard users pass the map to the list. */
function MapBlock({ map, values }: { map: Config['map']; values: FilterValues }) {
  return (
    <section
      class="public-map-block"
      aria-labelledby="karte-titel"
      data-public-map=""
      data-tile-url={map.tileUrl}
      data-attribution={map.attribution}
      data-center={`${map.center[0]},${map.center[1]}`}
      data-query={queryString(values).slice(1)}
      hidden
    >
      <h2 id="karte-titel" class="kern-heading-medium">
        Karte
      </h2>
      <a class="kern-link" href="#liste">
        Karte überspringen, zur Liste der Meldungen
      </a>
      <section class="public-map" data-map="" aria-label="Karte der Meldungen" aria-describedby="karte-hinweis" />
      <p class="kern-body kern-body--small" id="karte-hinweis">
        Die Liste unter der Karte enthält dieselben Meldungen. Auf der Karte erscheinen nur Meldungen mit Ortsangabe.
      </p>
      <p class="kern-body kern-body--small" data-status="" aria-live="polite" />
    </section>
  );
}

function Results({ result, values }: { result: ListResult; values: FilterValues }) {
  const from = (result.page - 1) * PAGE_SIZE + 1;
  const to = from + result.rows.length - 1;
  const pageLink = (page: number) => `/meldungen${queryString(values, page > 1 ? { seite: String(page) } : {})}`;
  return (
    <>
      <h2 id="liste-titel" class="kern-heading-medium">
        {countOf(result)}
      </h2>
      {result.clampedFrom !== null && (
        <p class="kern-body">Seite {result.clampedFrom.toLocaleString('de-DE')} gibt es nicht; hier ist die letzte Seite.</p>
      )}
      {result.rows.length === 0 ? (
        <p class="kern-body">Zu diesen Filtern gibt es keine veröffentlichten Meldungen.</p>
      ) : (
        <>
          <p class="kern-body">
            {result.lastPage === null
              ? `Seite ${result.page.toLocaleString('de-DE')}: Meldungen ${from.toLocaleString('de-DE')} bis ${to.toLocaleString('de-DE')} von ${countOf(result).replace('Mehr', 'mehr')}, neueste zuerst.`
              : result.lastPage > 1
                ? `Seite ${result.page.toLocaleString('de-DE')} von ${result.lastPage.toLocaleString('de-DE')}: Meldungen ${from.toLocaleString('de-DE')} bis ${to.toLocaleString('de-DE')}, neueste zuerst.`
                : 'Neueste zuerst.'}
          </p>
          <div class="kern-table-responsive">
            {/* On a phone each row stacks into a card with its column names (app.css .stack-table). */}
            <table class="kern-table kern-table--small kern-table--striped stack-table">
              <caption class="kern-sr-only">Meldungen, neueste zuerst</caption>
              <thead>
                <tr class="kern-table__row">
                  {COLUMNS.map((h) => (
                    <th scope="col" class="kern-table__header" key={h}>
                      {h}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody class="kern-table__body">
                {result.rows.map((r) => (
                  <tr class="kern-table__row" key={r.caseId}>
                    <td class="kern-table__cell nowrap" data-label="Nummer">
                      <a class="kern-link" href={`/meldungen/${encodeURIComponent(r.number)}`}>
                        {r.number}
                      </a>
                    </td>
                    <td class="kern-table__cell excerpt" data-label="Worum es geht">
                      {excerpt(r.text)}
                    </td>
                    <td class="kern-table__cell" data-label="Kategorie">
                      {r.categoryName ?? '–'}
                    </td>
                    <td class="kern-table__cell" data-label="Stadtteil">
                      {r.districtName ?? '–'}
                    </td>
                    <td class="kern-table__cell" data-label="Status">
                      <PublicStatusBadge status={r.status} />
                    </td>
                    <td class="kern-table__cell nowrap" data-label="Gemeldet">
                      <ReportedDay at={r.reportedAt} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      {(result.page > 1 || result.hasNext) && (
        <nav aria-label="Seiten">
          <ul class="pagination">
            {result.page > 1 && (
              <li>
                <a class="kern-link" href={pageLink(result.page - 1)} rel="prev">
                  ← Vorherige Seite
                </a>
              </li>
            )}
            {result.hasNext && (
              <li>
                <a class="kern-link" href={pageLink(result.page + 1)} rel="next">
                  Nächste Seite →
                </a>
              </li>
            )}
          </ul>
        </nav>
      )}
    </>
  );
}

/** The first words of the public text, so the list says what it is about. */
function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 120 ? `${flat.slice(0, 119).trimEnd()}…` : flat;
}
