import { BackLink } from '../../../ui/back-link.tsx';
import { Alert, Button, CsrfField, ErrorSummary, type FieldErrors, SelectField, TextField } from '../../../ui/forms.tsx';
import { Layout, type PageContext } from '../../../ui/layout.tsx';
import { formatDateTime } from '../accounts/format.ts';
import type { TelegramSettings } from './settings.ts';

export interface BotRow {
  id: number;
  name: string;
  enabled: boolean;
  settings: TelegramSettings;
  lastSuccessAt: Date | null;
  lastError: string | null;
  lastErrorAt: Date | null;
}

export type BotFormValues = Partial<Record<'name' | 'token' | 'channel' | 'team' | 'apiRoot', string>>;

const labels = {
  name: 'Name',
  token: 'Bot-Token',
  channel: 'Öffentlicher Kanal (optional)',
  team: 'Team für neue Anliegen',
  apiRoot: 'Eigener Bot-API-Server (optional)',
};

/** /admin/kanaele/telegram: the town's bots with their state, "Verbindung testen" and the form to connect one. */
export function TelegramBotsPage(props: {
  ctx: PageContext;
  bots: BotRow[];
  teams: { slug: string; name: string }[];
  values?: BotFormValues;
  errors?: FieldErrors;
  notice?: string | undefined;
  test?: { id: number; ok: boolean; text: string };
}) {
  const { ctx, bots, errors = {}, values = {} } = props;
  return (
    <Layout ctx={ctx} title="Telegram-Bot">
      <BackLink href="/admin/kanaele">Kanäle</BackLink>
      <h1 class="kern-heading-large">Telegram-Bot</h1>
      {props.notice && <Alert kind="success" title={props.notice} />}
      {props.test && <Alert kind={props.test.ok ? 'success' : 'danger'} title={props.test.text} />}
      <p class="kern-body">
        Bürgerinnen und Bürger schreiben dem Bot der Stadt in Telegram; jede Meldung wird ein Anliegen im Posteingang, und Antworten kommen
        als Nachricht des Bots zurück.
      </p>
      {bots.length === 0 ? (
        <p class="kern-body">Noch kein Bot verbunden.</p>
      ) : (
        <div class="kern-table-responsive">
          <table class="kern-table kern-table--striped">
            <caption class="kern-title">Verbundene Bots ({bots.length})</caption>
            <thead class="kern-table__header">
              <tr class="kern-table__row">
                <th scope="col">Name</th>
                <th scope="col">Bot</th>
                <th scope="col">Kanal</th>
                <th scope="col">Zustand</th>
                <th scope="col">Letzter erfolgreicher Kontakt</th>
                <th scope="col">Letzter Fehler</th>
                <th scope="col">Aktionen</th>
              </tr>
            </thead>
            <tbody class="kern-table__body">
              {bots.map((b) => (
                <tr class="kern-table__row" key={b.id}>
                  <th scope="row" class="kern-table__cell">
                    {b.name}
                  </th>
                  <td class="kern-table__cell">
                    <a class="kern-link" href={`https://t.me/${b.settings.botUsername}`} rel="noopener noreferrer">
                      @{b.settings.botUsername}
                    </a>
                  </td>
                  <td class="kern-table__cell">{b.settings.channel ?? '–'}</td>
                  <td class="kern-table__cell">{!b.enabled ? 'deaktiviert' : b.lastError ? 'gestört' : 'aktiv'}</td>
                  <td class="kern-table__cell">{b.lastSuccessAt ? formatDateTime(b.lastSuccessAt) : 'noch nie'}</td>
                  <td class="kern-table__cell">
                    {b.lastError && b.lastErrorAt ? `${formatDateTime(b.lastErrorAt)}: ${b.lastError}` : 'keiner'}
                  </td>
                  <td class="kern-table__cell">
                    <form method="post" action={`/admin/kanaele/telegram/${b.id}/test`}>
                      <CsrfField token={ctx.csrfToken} />
                      <Button variant="secondary">
                        Verbindung testen<span class="visually-hidden"> ({b.name})</span>
                      </Button>
                    </form>
                    <form method="post" action={`/admin/kanaele/telegram/${b.id}/aktiv`}>
                      <CsrfField token={ctx.csrfToken} />
                      <input type="hidden" name="aktiv" value={b.enabled ? 'nein' : 'ja'} />
                      <Button variant="tertiary">
                        {b.enabled ? 'Deaktivieren' : 'Aktivieren'}
                        <span class="visually-hidden"> ({b.name})</span>
                      </Button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2 class="kern-heading-medium">Telegram-Bot verbinden</h2>
      <p class="kern-body">
        Legen Sie den Bot bei @BotFather an und tragen Sie hier seinen Token ein. Wir prüfen ihn sofort bei Telegram; gespeichert wird er
        verschlüsselt und nie wieder angezeigt.
      </p>
      <ErrorSummary errors={errors} labels={labels} />
      <form method="post" action="/admin/kanaele/telegram" novalidate>
        <CsrfField token={ctx.csrfToken} />
        <TextField name="name" label={labels.name} value={values.name} error={errors.name} maxLength={100} required />
        <TextField
          name="token"
          label={labels.token}
          type="password"
          autocomplete="off"
          hint="Von @BotFather, in der Form 123456789:ABC…"
          error={errors.token}
          required
        />
        <TextField
          name="channel"
          label={labels.channel}
          hint="z. B. @musterstadt_info – dorthin veröffentlicht die Stadt; der Bot muss dort Administrator sein."
          value={values.channel}
          error={errors.channel}
          optional
        />
        <SelectField
          name="team"
          label={labels.team}
          value={values.team}
          emptyLabel="nach den Regeln der Zuständigkeit"
          options={props.teams.map((t) => ({ value: t.slug, label: t.name }))}
          error={errors.team}
          optional
        />
        <TextField
          name="apiRoot"
          label={labels.apiRoot}
          type="url"
          hint="Nur wenn die Stadt einen eigenen Bot-API-Server betreibt; sonst leer lassen (https://api.telegram.org)."
          value={values.apiRoot}
          error={errors.apiRoot}
          optional
        />
        <Button>Bot verbinden</Button>
      </form>
    </Layout>
  );
}
