import { caseTypes } from '../../../infra/schema/index.ts';
import { BackLink } from '../../../ui/back-link.tsx';
import { Alert, Button, CsrfField, ErrorSummary, type FieldErrors, SelectField, TextField } from '../../../ui/forms.tsx';
import { Layout, type PageContext } from '../../../ui/layout.tsx';
import { caseTypeLabels } from '../../cases/labels.ts';
import { formatDateTime } from '../accounts/format.ts';
import type { BlueskyTestResult } from './accounts.ts';
import type { BlueskyAccount } from './client.ts';
import { DEFAULT_SERVICE } from './settings.ts';

export const blueskyNotices = {
  angelegt: 'Das Bluesky-Konto ist verbunden. Prüfen Sie jetzt die Verbindung.',
} as const;
export type BlueskyNotice = keyof typeof blueskyNotices;
export type BlueskyFormValues = Partial<Record<'name' | 'handle' | 'service' | 'appPassword' | 'team' | 'type', string>>;

const labels = { name: 'Name', handle: 'Handle', service: 'Server', appPassword: 'App-Passwort', team: 'Team', type: 'Art' };

/** /admin/kanaele/bluesky: the town's Bluesky accounts, their status, and the form to connect one. */
export function BlueskyPage(props: {
  ctx: PageContext;
  accounts: BlueskyAccount[];
  teams: { slug: string; name: string }[];
  values?: BlueskyFormValues;
  errors?: FieldErrors;
  notice?: BlueskyNotice | undefined;
  test?: { accountId: number; result: BlueskyTestResult };
}) {
  const { ctx, errors = {}, values = {} } = props;
  return (
    <Layout ctx={ctx} title="Bluesky">
      <BackLink href="/admin/kanaele">Kanäle</BackLink>
      <h1 class="kern-heading-large">Bluesky</h1>
      {props.notice && <Alert kind="success" title={blueskyNotices[props.notice]} />}
      {props.test && (
        <Alert
          kind={props.test.result.ok ? 'success' : 'danger'}
          title={props.test.result.ok ? 'Verbindung steht' : 'Verbindung gescheitert'}
        >
          <p class="kern-body">{props.test.result.text}</p>
        </Alert>
      )}
      <p class="kern-body">
        Erwähnungen, Antworten und Zitate an das Konto der Stadt werden jede Minute abgerufen und kommen als öffentliche Anliegen in den
        Posteingang; Antworten gehen als Antwort im selben Thread zurück.
      </p>
      {props.accounts.length === 0 ? (
        <p class="kern-body">Noch kein Bluesky-Konto verbunden.</p>
      ) : (
        props.accounts.map((a) => (
          <section class="form-stack" aria-labelledby={`bsky-${a.id}`} key={a.id}>
            <h2 class="kern-heading-medium" id={`bsky-${a.id}`}>
              {a.name} (@{a.settings.handle})
            </h2>
            <dl class="kern-description-list">
              <Item term="Server">{a.settings.service}</Item>
              <Item term="Zustand">{a.enabled ? 'aktiv' : 'deaktiviert'}</Item>
              <Item term="Letzter erfolgreicher Kontakt">{a.lastSuccessAt ? formatDateTime(a.lastSuccessAt) : 'noch nie'}</Item>
              <Item term="Letzter Fehler">{a.lastError ?? '–'}</Item>
              <Item term="Abgerufen bis">{a.cursor.seenAt ? formatDateTime(new Date(a.cursor.seenAt)) : 'noch nichts'}</Item>
            </dl>
            {a.cursor.skipped.length > 0 && (
              <>
                <h3 class="kern-heading-small">Übersprungene Beiträge</h3>
                <ul class="kern-list">
                  {a.cursor.skipped.map((s) => (
                    <li key={s.uri}>
                      {formatDateTime(new Date(s.at))}: {s.reason} <code>{s.uri}</code>
                    </li>
                  ))}
                </ul>
              </>
            )}
            <form method="post" action={`/admin/kanaele/bluesky/${a.id}/test`}>
              <CsrfField token={ctx.csrfToken} />
              <Button variant="secondary">
                Verbindung testen<span class="visually-hidden"> ({a.name})</span>
              </Button>
            </form>
          </section>
        ))
      )}
      <h2 class="kern-heading-medium">Bluesky-Konto verbinden</h2>
      <ErrorSummary errors={errors} labels={labels} />
      <form method="post" action="/admin/kanaele/bluesky" class="form-stack" novalidate>
        <CsrfField token={ctx.csrfToken} />
        <TextField name="name" label="Name" hint="Zum Beispiel Bluesky der Stadt" value={values.name} error={errors.name} required />
        <TextField
          name="handle"
          label="Handle"
          hint="Zum Beispiel musterstadt.bsky.social"
          value={values.handle}
          error={errors.handle}
          required
        />
        <TextField
          name="service"
          label="Server"
          hint={`Leer lassen für ${DEFAULT_SERVICE}; eigener Server nur über https://`}
          type="url"
          value={values.service}
          error={errors.service}
          optional
        />
        <TextField
          name="appPassword"
          label="App-Passwort"
          hint="In Bluesky unter Einstellungen → Datenschutz und Sicherheit → App-Passwörter anlegen (Form xxxx-xxxx-xxxx-xxxx). Nie das Hauptpasswort."
          type="password"
          autocomplete="off"
          error={errors.appPassword}
          required
        />
        <SelectField
          name="team"
          label="Team"
          hint="Bekommt neue Anliegen, wenn keine Regel greift"
          value={values.team}
          options={props.teams.map((t) => ({ value: t.slug, label: t.name }))}
          emptyLabel="keines (Standardverteilung)"
          error={errors.team}
          optional
        />
        <SelectField
          name="type"
          label="Art neuer Anliegen"
          value={values.type}
          options={caseTypes.map((t) => ({ value: t, label: caseTypeLabels[t] }))}
          emptyLabel="noch unklar"
          error={errors.type}
          optional
        />
        <Button>Konto verbinden</Button>
      </form>
    </Layout>
  );
}

function Item(props: { term: string; children: preact.ComponentChildren }) {
  return (
    <div class="kern-description-list-item">
      <dt class="kern-description-list-item__key">{props.term}</dt>
      <dd class="kern-description-list-item__value">{props.children}</dd>
    </div>
  );
}
