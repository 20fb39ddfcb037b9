import { BackLink } from '../../../../ui/back-link.tsx';
import { Alert, Button, CsrfField } from '../../../../ui/forms.tsx';
import { Layout, type PageContext } from '../../../../ui/layout.tsx';
import { formatDateTime } from '../../../cases/time.ts';
import type { TargetMetrics } from '../service.ts';

export interface ModelRow {
  id: number;
  source: string;
  trainedOn: number;
  metrics: unknown;
  active: boolean;
  createdAt: Date;
}

export interface ClassifierAdminProps {
  ctx: PageContext;
  models: ModelRow[];
  trainable: number;
  /** Enough cases in enough categories for the next training (service.ts whyNotTrainable). */
  enough: boolean;
  minCases: number;
  /** CLASSIFIER_MIN_CONFIDENCE, when the town set one: it replaces the learnt thresholds. */
  minConfidence: number | undefined;
  /** After "Jetzt neu lernen": the job is queued, or there was too little to learn from. */
  notice: 'lernt' | 'zuwenig' | undefined;
}

const targetLabels: Record<string, string> = { category: 'Kategorie', type: 'Art', team: 'Team' };
const sourceLabels: Record<string, string> = { cases: 'abgeschlossene Anliegen', csv: 'CSV-Datei' };
/** "aus 40 abgeschlossenen Anliegen", "aus 1.021 Zeilen einer CSV-Datei". */
const learntFrom = (source: string, n: number) => {
  const count = n.toLocaleString('de-DE');
  return source === 'csv' ? `${count} Zeilen einer CSV-Datei` : `${count} abgeschlossenen Anliegen`;
};
const percent = new Intl.NumberFormat('de-DE', { style: 'percent', maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat('de-DE', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** The stored metrics, or nothing for a row written by another version. */
function metricsOf(raw: unknown): [string, TargetMetrics][] {
  if (!raw || typeof raw !== 'object') return [];
  return Object.entries(raw as Record<string, unknown>).filter(
    (e): e is [string, TargetMetrics] => !!e[1] && typeof (e[1] as TargetMetrics).cvAccuracy === 'number',
  );
}

function ActiveModel({ model, minConfidence }: { model: ModelRow; minConfidence: number | undefined }) {
  const rows = metricsOf(model.metrics);
  return (
    <section aria-labelledby="active-title">
      <h2 id="active-title" class="kern-heading-medium">
        Aktives Modell
      </h2>
      <p class="kern-body">
        Gelernt am {formatDateTime(model.createdAt)} Uhr aus {learntFrom(model.source, model.trainedOn)}.
      </p>
      <div class="kern-table-responsive">
        <table class="kern-table kern-table--striped">
          <caption class="kern-title">Wie gut es auf Beispielen abschneidet, die es beim Lernen nicht gesehen hat</caption>
          <thead class="kern-table__header">
            <tr class="kern-table__row">
              <th scope="col">Sagt voraus</th>
              <th scope="col" class="kern-table__header--numeric">
                Werte
              </th>
              <th scope="col" class="kern-table__header--numeric">
                Treffer
              </th>
              <th scope="col" class="kern-table__header--numeric">
                Leitet selbst weiter
              </th>
              <th scope="col" class="kern-table__header--numeric">
                ab Sicherheit
              </th>
            </tr>
          </thead>
          <tbody class="kern-table__body">
            {rows.map(([name, m]) => (
              <tr class="kern-table__row" key={name}>
                <th scope="row" class="kern-table__cell">
                  {targetLabels[name] ?? name}
                </th>
                <td class="kern-table__cell kern-table__cell--numeric">{m.labels}</td>
                <td class="kern-table__cell kern-table__cell--numeric">{percent.format(m.cvAccuracy)}</td>
                <td class="kern-table__cell kern-table__cell--numeric">
                  {minConfidence === undefined ? percent.format(m.cvCoverage) : '–'}
                </td>
                <td class="kern-table__cell kern-table__cell--numeric">
                  {minConfidence !== undefined
                    ? decimal.format(minConfidence)
                    : m.autoThreshold === null
                      ? 'nie'
                      : decimal.format(m.autoThreshold)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p class="kern-body kern-body--small">
        „Leitet selbst weiter“: der Anteil der Beispiele, bei denen er sich so sicher war, dass angestrebt 95 von 100 dieser Entscheidungen
        stimmen (gemessen an zurückgehaltenen Beispielen beim Lernen).
        {minConfidence !== undefined &&
          ' Die Schwelle ist hier in der Konfiguration fest eingestellt (CLASSIFIER_MIN_CONFIDENCE); für sie gibt es keinen gemessenen Anteil.'}
      </p>
    </section>
  );
}

export function ClassifierAdminPage({ ctx, models, trainable, enough, minCases, minConfidence, notice }: ClassifierAdminProps) {
  const active = models.find((m) => m.active);
  return (
    <Layout ctx={ctx} title="Klassifikator">
      <BackLink href="/admin">Verwaltung</BackLink>
      <h1 class="kern-heading-large">Klassifikator</h1>
      <p class="kern-body kern-body--large">
        Er lernt aus den abgeschlossenen Anliegen der Stadt, wer wofür zuständig ist – jede Nacht von selbst. Ist er sich sicher, leitet er
        weiter; sonst landet das Anliegen bei der Leitstelle, mit drei Vorschlägen zum Anklicken.
      </p>
      {notice === 'lernt' && (
        <Alert kind="success" title="Der Klassifikator lernt jetzt neu.">
          <p class="kern-body">Das dauert meist unter einer Minute. Laden Sie die Seite danach neu, dann steht das neue Modell oben.</p>
        </Alert>
      )}
      {notice === 'zuwenig' && (
        <Alert kind="info" title="Noch zu wenig zum Lernen.">
          <p class="kern-body">
            Es braucht mindestens {minCases} abgeschlossene Anliegen aus zwei Kategorien. Das bisherige Modell bleibt.
          </p>
        </Alert>
      )}
      {active ? (
        <ActiveModel model={active} minConfidence={minConfidence} />
      ) : (
        <Alert kind="info" title="Noch kein Modell">
          <p class="kern-body">Bis er gelernt hat, leiten Regeln und Kategorien weiter.</p>
        </Alert>
      )}
      <section aria-labelledby="retrain-title">
        <h2 id="retrain-title" class="kern-heading-medium">
          Jetzt neu lernen
        </h2>
        <p class="kern-body">
          Sinnvoll nach vielen Korrekturen, etwa wenn sich Zuständigkeiten geändert haben. Zur Verfügung stehen{' '}
          {trainable.toLocaleString('de-DE')} abgeschlossene Anliegen
          {enough ? '.' : `; nötig sind mindestens ${minCases} aus zwei Kategorien, bis dahin bleibt das bisherige Modell.`}
        </p>
        {enough && (
          <form method="post" action="/admin/klassifikator/lernen">
            <CsrfField token={ctx.csrfToken} />
            <Button variant="secondary">Jetzt neu lernen</Button>
          </form>
        )}
      </section>
      {models.length > 0 && (
        <section aria-labelledby="history-title">
          <h2 id="history-title" class="kern-heading-medium">
            Bisherige Modelle
          </h2>
          <div class="kern-table-responsive">
            <table class="kern-table kern-table--striped">
              <caption class="kern-title">{models.length === 1 ? 'Bisher ein Modell' : `Die letzten ${models.length} Modelle`}</caption>
              <thead class="kern-table__header">
                <tr class="kern-table__row">
                  <th scope="col">Gelernt am</th>
                  <th scope="col">aus</th>
                  <th scope="col" class="kern-table__header--numeric">
                    Beispiele
                  </th>
                  <th scope="col" class="kern-table__header--numeric">
                    Treffer Kategorie
                  </th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody class="kern-table__body">
                {models.map((m) => {
                  const category = metricsOf(m.metrics).find(([name]) => name === 'category')?.[1];
                  return (
                    <tr class="kern-table__row" key={m.id}>
                      <td class="kern-table__cell">{formatDateTime(m.createdAt)}</td>
                      <td class="kern-table__cell">{sourceLabels[m.source] ?? m.source}</td>
                      <td class="kern-table__cell kern-table__cell--numeric">{m.trainedOn.toLocaleString('de-DE')}</td>
                      <td class="kern-table__cell kern-table__cell--numeric">{category ? percent.format(category.cvAccuracy) : '–'}</td>
                      <td class="kern-table__cell">{m.active ? 'aktiv' : 'abgelöst'}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </section>
      )}
    </Layout>
  );
}
