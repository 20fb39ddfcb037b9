import type { ComponentChildren } from 'preact';
import { Layout, type PageContext } from '../../../ui/layout.tsx';
import type { Cell, DurationCell, Figures, FixCheckCell } from '../figures.ts';
import { duration, monthLabel, share } from '../format.ts';
import { BarChart } from './bar-chart.tsx';

const dateOnly = new Intl.DateTimeFormat('de-DE', { timeZone: 'Europe/Berlin', day: 'numeric', month: 'long', year: 'numeric' });

export function StatisticsPage({ ctx, figures }: { ctx: PageContext; figures: Figures }) {
  const { window: w } = figures;
  return (
    <Layout ctx={ctx} title="Statistik">
      <h1 class="kern-heading-large">Was uns gemeldet wurde – und wie schnell wir waren</h1>
      <p class="kern-body">
        Alle veröffentlichten Meldungen vom {dateOnly.format(w.from)} bis heute. Die Zahlen stehen unter jeder Grafik auch als Tabelle; alle
        Tabellen gibt es als{' '}
        <a class="kern-link" href="/statistik.csv">
          CSV-Datei
        </a>
        .
      </p>
      {figures.suppressed && (
        <p class="kern-body">
          Felder mit weniger als fünf Meldungen nennen wir nicht („nicht ausgewiesen“), damit niemand auf eine einzelne Person schließen
          kann. Damit sich ein solches Feld nicht aus der Summe der übrigen errechnen lässt, blenden wir dann, wenn nötig, auch das
          nächstkleinere aus.
        </p>
      )}

      <section aria-labelledby="monate">
        <h2 id="monate" class="kern-heading-medium">
          Meldungen pro Monat
        </h2>
        <BarChart
          id="chart-monate"
          title="Meldungen pro Monat"
          cells={figures.months}
          orientation="vertical"
          label={(k) => monthLabel(k, 'short')}
        />
        <CountTable caption="Meldungen pro Monat" head="Monat" cells={figures.months} label={(k) => monthLabel(k, 'long')} />
      </section>

      <section aria-labelledby="kategorien">
        <h2 id="kategorien" class="kern-heading-medium">
          Meldungen nach Kategorie
        </h2>
        <BarChart id="chart-kategorien" title="Meldungen nach Kategorie" cells={figures.categories} orientation="horizontal" />
        <CountTable caption="Meldungen nach Kategorie" head="Kategorie" cells={figures.categories} />
      </section>

      <section aria-labelledby="stadtteile">
        <h2 id="stadtteile" class="kern-heading-medium">
          Meldungen nach Stadtteil
        </h2>
        <BarChart id="chart-stadtteile" title="Meldungen nach Stadtteil" cells={figures.districts} orientation="horizontal" />
        <CountTable caption="Meldungen nach Stadtteil" head="Stadtteil" cells={figures.districts} />
      </section>

      <section aria-labelledby="zeiten">
        <h2 id="zeiten" class="kern-heading-medium">
          Wie lange es dauert
        </h2>
        <p class="kern-body">
          Der Median ist die Zeit, die die Hälfte der Meldungen höchstens gebraucht hat; bis zum 90-%-Wert waren neun von zehn so weit.
          Gruppen mit weniger als fünf Meldungen fehlen.
        </p>
        <DurationTable caption="Bis zur ersten Antwort, nach Team" head="Team" rows={figures.firstAnswerByTeam} />
        <DurationTable caption="Bis zur Erledigung, nach Team" head="Team" rows={figures.resolutionByTeam} />
        <DurationTable caption="Bis zur ersten Antwort, nach Kategorie" head="Kategorie" rows={figures.firstAnswerByCategory} />
        <DurationTable caption="Bis zur Erledigung, nach Kategorie" head="Kategorie" rows={figures.resolutionByCategory} />
      </section>

      <section aria-labelledby="behoben">
        <h2 id="behoben" class="kern-heading-medium">
          Wirklich behoben?
        </h2>
        {figures.confirmed.share === null ? (
          <p class="kern-body">
            Einige Tage nach „erledigt“ fragen wir nach, ob es wirklich behoben ist. Bisher haben weniger als fünf Personen geantwortet –
            dafür nennen wir noch keine Zahl.
          </p>
        ) : (
          <p class="kern-body">
            Von {figures.confirmed.answered} Personen, die auf unsere Nachfrage geantwortet haben, sagen {share(figures.confirmed.share)}:
            Ja, es ist behoben.
          </p>
        )}
        <p class="kern-body">
          Gruppen, in denen wir weniger als fünf Personen gefragt haben, fehlen; weniger als fünf gleiche Antworten nennen wir nicht.
        </p>
        {figures.fixChecksByCategory.length > 0 && (
          <BarChart
            id="chart-behoben"
            title="Bestätigt behoben, nach Kategorie"
            cells={figures.fixChecksByCategory.map((c) => ({ key: c.key, n: c.yes }))}
            orientation="horizontal"
          />
        )}
        <FixCheckTable caption="Wirklich behoben? Nach Kategorie" head="Kategorie" rows={figures.fixChecksByCategory} />
        <FixCheckTable caption="Wirklich behoben? Nach Team" head="Team" rows={figures.fixChecksByTeam} />
      </section>
    </Layout>
  );
}

function CountTable({
  caption,
  head,
  cells,
  label = (k) => k,
}: {
  caption: string;
  head: string;
  cells: Cell[];
  label?: (k: string) => string;
}) {
  if (cells.length === 0) return <p class="kern-body">Noch keine veröffentlichten Meldungen.</p>;
  return (
    <ScrollBox label={caption}>
      <table class="kern-table kern-table--striped kern-table--small">
        <caption class="kern-title">{caption}</caption>
        <thead class="kern-table__header">
          <tr class="kern-table__row">
            <th scope="col" class="kern-table__header">
              {head}
            </th>
            <th scope="col" class="kern-table__header kern-table__header--numeric">
              Meldungen
            </th>
          </tr>
        </thead>
        <tbody class="kern-table__body">
          {cells.map((c) => (
            <tr class="kern-table__row" key={c.key}>
              <th scope="row" class="kern-table__cell">
                {label(c.key)}
              </th>
              <td class="kern-table__cell kern-table__cell--numeric">{c.n === null ? 'nicht ausgewiesen' : c.n}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollBox>
  );
}

/** A numeric column of a figure table: its heading and how a row fills it. */
interface FigureColumn<R> {
  label: string;
  cell: (row: R) => ComponentChildren;
}

/**
 * The figure tables of this page (durations, "Wirklich behoben?"): one row per team or category,
 * its name as the row heading, numeric columns after it, and a sentence when there are too few
 * cases to say anything.
 */
function FigureTable<R extends { key: string }>(props: {
  caption: string;
  head: string;
  rows: R[];
  columns: FigureColumn<R>[];
  empty: string;
}) {
  const { caption, head, rows, columns, empty } = props;
  return (
    <ScrollBox label={caption}>
      <table class="kern-table kern-table--striped kern-table--small">
        <caption class="kern-title">{caption}</caption>
        <thead class="kern-table__header">
          <tr class="kern-table__row">
            <th scope="col" class="kern-table__header">
              {head}
            </th>
            {columns.map((c) => (
              <th scope="col" class="kern-table__header kern-table__header--numeric" key={c.label}>
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody class="kern-table__body">
          {rows.length === 0 ? (
            <tr class="kern-table__row">
              <td class="kern-table__cell" colSpan={columns.length + 1}>
                {empty}
              </td>
            </tr>
          ) : (
            rows.map((r) => (
              <tr class="kern-table__row" key={r.key}>
                <th scope="row" class="kern-table__cell">
                  {r.key}
                </th>
                {columns.map((c) => (
                  <td class="kern-table__cell kern-table__cell--numeric" key={c.label}>
                    {c.cell(r)}
                  </td>
                ))}
              </tr>
            ))
          )}
        </tbody>
      </table>
    </ScrollBox>
  );
}

const durationColumns: FigureColumn<DurationCell>[] = [
  { label: 'Meldungen', cell: (r) => r.n },
  { label: 'Median', cell: (r) => duration(r.medianHours) },
  { label: '90-%-Wert', cell: (r) => duration(r.p90Hours) },
];

const hidden = 'nicht ausgewiesen';
const count = (n: number | null) => (n === null ? hidden : n);
const fixCheckColumns: FigureColumn<FixCheckCell>[] = [
  { label: 'Gefragt', cell: (r) => r.asked },
  { label: '„Ja, behoben“', cell: (r) => count(r.yes) },
  { label: '„Nein, noch nicht“', cell: (r) => count(r.no) },
  { label: 'Anteil „Ja“', cell: (r) => (r.share === null ? hidden : share(r.share)) },
];

function DurationTable({ caption, head, rows }: { caption: string; head: string; rows: DurationCell[] }) {
  return (
    <FigureTable caption={caption} head={head} rows={rows} columns={durationColumns} empty="Noch zu wenige Meldungen für eine Aussage." />
  );
}

function FixCheckTable({ caption, head, rows }: { caption: string; head: string; rows: FixCheckCell[] }) {
  return (
    <FigureTable caption={caption} head={head} rows={rows} columns={fixCheckColumns} empty="Noch zu wenige Antworten für eine Aussage." />
  );
}

/** A table that may scroll sideways on a phone: the scroll area is a labelled, focusable region, so keyboards can scroll it. */
function ScrollBox({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: WCAG 2.1.1 asks that a scrollable region be reachable by keyboard.
    <section class="kern-table-responsive" aria-label={label} tabIndex={0}>
      {children}
    </section>
  );
}
