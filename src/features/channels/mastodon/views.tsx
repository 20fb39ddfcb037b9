import { BackLink } from '../../../ui/back-link.tsx';
import { Alert, Button, CsrfField, ErrorSummary, type FieldErrors, TextField } from '../../../ui/forms.tsx';
import { Layout, type PageContext } from '../../../ui/layout.tsx';
import { formatDateTime } from '../accounts/format.ts';
import type { MastodonAccountRow, MastodonTestResult } from './accounts.ts';

export type MastodonFormValues = Partial<Record<'name' | 'instanceUrl' | 'handle' | 'team', string>>;

const labels = { name: 'Name', instanceUrl: 'Mastodon-Server', handle: 'Konto der Stadt', accessToken: 'Zugangsschlüssel', team: 'Team' };

function statusText(a: MastodonAccountRow): string {
  if (!a.enabled) return 'deaktiviert';
  if (a.lastError) return `gestört: ${a.lastError}`;
  return a.lastSuccessAt ? `in Ordnung (zuletzt ${formatDateTime(a.lastSuccessAt)})` : 'noch nicht abgerufen';
}

/** /admin/kanaele/mastodon: the town's Mastodon accounts, their status, the connection test and "Mastodon-Konto verbinden". */
export function MastodonPage(props: {
  ctx: PageContext;
  accounts: MastodonAccountRow[];
  values?: MastodonFormValues;
  errors?: FieldErrors;
  created?: boolean;
  test?: { name: string; result: MastodonTestResult };
}) {
  const { ctx, errors = {}, values = {} } = props;
  return (
    <Layout ctx={ctx} title="Mastodon">
      <BackLink href="/admin/kanaele">Kanäle</BackLink>
      <h1 class="kern-heading-large">Mastodon</h1>
      {props.created && <Alert kind="success" title="Das Mastodon-Konto ist verbunden." />}
      {props.test && (
        <Alert kind={props.test.result.ok ? 'success' : 'danger'} title={`Verbindungstest „${props.test.name}“`}>
          <p class="kern-body">{props.test.result.text}</p>
        </Alert>
      )}
      <p class="kern-body">
        Erwähnungen und Direktnachrichten an das Konto der Stadt werden jede Minute abgerufen und kommen als Anliegen in den Posteingang;
        Antworten gehen im selben Verlauf und mit derselben Sichtbarkeit zurück.
      </p>
      {props.accounts.length === 0 ? (
        <p class="kern-body">Noch kein Mastodon-Konto verbunden.</p>
      ) : (
        <div class="kern-table-responsive">
          <table class="kern-table kern-table--striped">
            <caption class="kern-title">Mastodon-Konten ({props.accounts.length})</caption>
            <thead class="kern-table__header">
              <tr class="kern-table__row">
                <th scope="col">Name</th>
                <th scope="col">Konto</th>
                <th scope="col">Zustand</th>
                <th scope="col">Test</th>
              </tr>
            </thead>
            <tbody class="kern-table__body">
              {props.accounts.map((a) => (
                <tr class="kern-table__row" key={a.id}>
                  <th scope="row" class="kern-table__cell">
                    {a.name}
                  </th>
                  <td class="kern-table__cell">
                    @{a.settings.handle} auf {new URL(a.settings.instanceUrl).host}
                  </td>
                  <td class="kern-table__cell">{statusText(a)}</td>
                  <td class="kern-table__cell">
                    <form method="post" action={`/admin/kanaele/mastodon/${a.id}/test`}>
                      <CsrfField token={ctx.csrfToken} />
                      <Button variant="secondary">
                        Verbindung testen<span class="visually-hidden"> ({a.name})</span>
                      </Button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2 class="kern-heading-medium">Mastodon-Konto verbinden</h2>
      <ErrorSummary errors={errors} labels={labels} />
      <form method="post" action="/admin/kanaele/mastodon" novalidate>
        <CsrfField token={ctx.csrfToken} />
        <TextField name="name" label={labels.name} value={values.name} error={errors.name} required maxLength={100} />
        <TextField
          name="instanceUrl"
          label={labels.instanceUrl}
          hint="z. B. https://musterstadt.social"
          value={values.instanceUrl}
          error={errors.instanceUrl}
          type="url"
          required
        />
        <TextField
          name="handle"
          label={labels.handle}
          hint="z. B. @stadt@musterstadt.social"
          value={values.handle}
          error={errors.handle}
          required
        />
        <TextField
          name="accessToken"
          label={labels.accessToken}
          hint="In Mastodon unter Einstellungen → Entwicklung → Neue Anwendung (Rechte: read, write). Er wird verschlüsselt gespeichert und nie wieder angezeigt."
          error={errors.accessToken}
          type="password"
          autocomplete="off"
          required
        />
        <TextField name="team" label="Team (Kurzname, optional)" value={values.team} error={errors.team} />
        <Button>Verbinden</Button>
      </form>
    </Layout>
  );
}
