import { BackLink } from '../../../ui/back-link.tsx';
import { Alert, Button, CsrfField, ErrorSummary, type FieldErrors, TextField } from '../../../ui/forms.tsx';
import { Layout, type PageContext } from '../../../ui/layout.tsx';
import { noticeKeyFrom } from '../../../ui/notices.ts';
import { formatDateTime } from '../../admin/views/common.tsx';
import { type ApiKeyRow, DEFAULT_RATE, MAX_RATE } from '../api-keys.ts';
import type { ServiceOverview } from '../service-extras.ts';

export const keyNotices = { widerrufen: 'Der Schlüssel ist widerrufen. Anfragen mit ihm werden ab sofort abgelehnt.' } as const;
export type KeyNotice = keyof typeof keyNotices;
export const keyNoticeFrom = (query: unknown) => noticeKeyFrom(query, keyNotices);

const labels = { name: 'Name des Schlüssels', requestsPerMinute: 'Anfragen pro Minute' };

export interface NewKeyValues {
  name?: string;
  requestsPerMinute?: string;
}

export function ApiKeysPage({
  ctx,
  keys,
  publicUrl,
  created,
  values = {},
  errors = {},
  notice,
  services = [],
}: {
  ctx: PageContext;
  keys: ApiKeyRow[];
  publicUrl: string;
  /** Right after "Schlüssel erzeugen": the key itself, shown this once. */
  created?: { name: string; key: string } | undefined;
  values?: NewKeyValues;
  errors?: FieldErrors;
  notice?: KeyNotice | undefined;
  services?: ServiceOverview[];
}) {
  return (
    <Layout ctx={ctx} title="Schnittstellen">
      <BackLink href="/admin">Verwaltung</BackLink>
      <h1 class="kern-heading-large">Schnittstellen (Open311)</h1>
      {notice && <Alert kind="success" title={keyNotices[notice]} />}
      {created && (
        <Alert kind="success" title={`Der Schlüssel „${created.name}“ ist erzeugt.`}>
          <p class="kern-body">
            Bitte kopieren Sie ihn jetzt und geben Sie ihn sicher weiter. Er wird nur dieses eine Mal angezeigt; gespeichert ist nur ein
            Prüfwert.
          </p>
          <p class="kern-body">
            <code class="api-key" data-testid="new-api-key">
              {created.key}
            </code>
          </p>
        </Alert>
      )}
      <p class="kern-body">
        Andere Apps und Dienste (zum Beispiel FixMyStreet oder die App einer Nachbarstadt) lesen die öffentlichen Meldungen über die
        Open311-Schnittstelle unter <code>{publicUrl}/georeport/v2/</code> ohne Schlüssel. Zum Melden brauchen sie einen Schlüssel. Jede
        Meldung durchläuft dieselben Schritte wie eine Meldung über das Formular.
      </p>
      {keys.length === 0 ? (
        <p class="kern-body">Noch keine Schlüssel.</p>
      ) : (
        // Narrow screens scroll the table sideways: the region takes focus so keyboards can scroll it too (WCAG 2.1.1).
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard (axe scrollable-region-focusable)
        <section class="kern-table-responsive" tabIndex={0} aria-label="Schlüssel, seitlich scrollbar">
          <table class="kern-table kern-table--striped">
            <caption class="kern-title">Schlüssel ({keys.length})</caption>
            <thead class="kern-table__header">
              <tr class="kern-table__row">
                <th scope="col">Name</th>
                <th scope="col">Beginnt mit</th>
                <th scope="col" class="kern-table__header--numeric">
                  Anfragen pro Minute
                </th>
                <th scope="col">Erzeugt</th>
                <th scope="col">Zuletzt benutzt</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody class="kern-table__body">
              {keys.map((k) => (
                <tr class="kern-table__row" key={k.id}>
                  <th scope="row" class="kern-table__cell">
                    {k.name} <span class="kern-body--small">(Nr. {k.id})</span>
                  </th>
                  <td class="kern-table__cell">
                    <code>{k.prefix}…</code>
                  </td>
                  <td class="kern-table__cell kern-table__cell--numeric">{k.requestsPerMinute.toLocaleString('de-DE')}</td>
                  <td class="kern-table__cell">{formatDateTime(k.createdAt)}</td>
                  <td class="kern-table__cell">{k.lastUsedAt ? formatDateTime(k.lastUsedAt) : 'noch nie'}</td>
                  <td class="kern-table__cell">
                    {k.revokedAt ? (
                      `widerrufen am ${formatDateTime(k.revokedAt)}`
                    ) : (
                      <form method="post" action={`/admin/schnittstellen/${k.id}/widerrufen`}>
                        <CsrfField token={ctx.csrfToken} />
                        <Button variant="secondary">
                          Widerrufen<span class="visually-hidden"> ({k.name})</span>
                        </Button>
                      </form>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}

      <h2 class="kern-heading-medium">Neuer Schlüssel</h2>
      <ErrorSummary errors={errors} labels={labels} />
      <form method="post" action="/admin/schnittstellen" class="form-stack" novalidate>
        <CsrfField token={ctx.csrfToken} />
        <TextField
          name="name"
          label={labels.name}
          hint="Wer ihn bekommt, zum Beispiel „FixMyStreet Musterstadt“."
          maxLength={100}
          required
          value={values.name}
          error={errors.name}
        />
        <TextField
          name="requestsPerMinute"
          label={labels.requestsPerMinute}
          type="number"
          hint={`Mehr Anfragen in einer Minute beantwortet die Schnittstelle mit „429“. Üblich: ${DEFAULT_RATE}; höchstens ${MAX_RATE.toLocaleString('de-DE')}.`}
          value={values.requestsPerMinute ?? String(DEFAULT_RATE)}
          error={errors.requestsPerMinute}
        />
        <Button>Schlüssel erzeugen</Button>
      </form>
      <h2 class="kern-heading-medium">Kategorien für andere Apps</h2>
      <p class="kern-body">Suchwörter und Zusatzfragen, die andere Apps über services.json erfahren.</p>
      <ul class="kern-list">
        {services.map((c) => (
          <li key={c.id}>
            <a class="kern-link" href={`/admin/schnittstellen/kategorien/${c.id}`}>
              {c.name}
            </a>{' '}
            <span class="kern-body--small">
              ({c.keywords === 1 ? '1 Suchwort' : `${c.keywords} Suchwörter`},{' '}
              {c.attributes === 1 ? '1 Zusatzfrage' : `${c.attributes} Zusatzfragen`})
            </span>
          </li>
        ))}
      </ul>
    </Layout>
  );
}
