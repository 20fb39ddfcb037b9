import { caseTypes } from '../../../infra/schema/index.ts';
import { BackLink } from '../../../ui/back-link.tsx';
import {
  Alert,
  Button,
  Checkbox,
  CsrfField,
  ErrorSummary,
  type FieldErrors,
  RadioGroup,
  SelectField,
  TextArea,
  TextField,
} from '../../../ui/forms.tsx';
import { Layout, type PageContext } from '../../../ui/layout.tsx';
import { noticeKeyFrom } from '../../../ui/notices.ts';
import { caseTypeLabels } from '../../cases/labels.ts';
import { PATTERN_MAX_LENGTH } from '../../routing/rules/regex.ts';
import type { IntakeFigures } from '../email/intake-status.ts';
import type { FetchRoundResult } from '../email/intake-types.ts';
import type { EmailTestResult } from './connection-test.ts';
import { CA_MAX_LENGTH, imapSecurities, securityLabels, smtpSecurities } from './email-settings.ts';
import {
  afterIntakeText,
  caText,
  faxText,
  fetchResultText,
  formatDateTime,
  imapSummary,
  lastContactText,
  plaintextWarning,
  smtpSummary,
} from './format.ts';
import type { AccountRow } from './queries.ts';

/** /admin/kanaele: the mailboxes of the town, their status, and the form to add or change one. */

export const notices = {
  angelegt: 'Das Postfach ist angelegt. Prüfen Sie jetzt die Verbindung.',
  gespeichert: 'Die Änderungen sind gespeichert.',
  deaktiviert: 'Das Postfach ist deaktiviert: Es wird nichts mehr abgerufen oder gesendet.',
  aktiviert: 'Das Postfach ist wieder aktiv.',
  entfernt: 'Das Postfach ist entfernt, seine Zugangsdaten sind gelöscht.',
} as const;
export type NoticeKey = keyof typeof notices;
export const noticeFrom = (query: unknown): NoticeKey | undefined => noticeKeyFrom(query, notices);

export type FormValues = Record<string, string>;
export interface TeamOption {
  slug: string;
  name: string;
}

const labels: Record<string, string> = {
  name: 'Name des Postfachs',
  from: 'Absenderadresse',
  team: 'Team für neue Anliegen',
  type: 'Art neuer Anliegen',
  signature: 'Signatur',
  imapHost: 'IMAP-Server',
  imapPort: 'IMAP-Port',
  imapSecurity: 'Verschlüsselung (IMAP)',
  imapUser: 'Benutzername (IMAP)',
  imapPassword: 'Passwort (IMAP)',
  mailbox: 'Ordner',
  moveTo: 'Nach dem Abruf verschieben in',
  smtpHost: 'SMTP-Server',
  smtpPort: 'SMTP-Port',
  smtpSecurity: 'Verschlüsselung (SMTP)',
  smtpUser: 'Benutzername (SMTP)',
  smtpPassword: 'Passwort (SMTP)',
  caCertificate: 'Eigene Zertifizierungsstelle (PEM)',
  faxAll: 'Dieses Postfach ist ein Fax-Eingang',
  faxSender: 'Fax erkennen am Absender',
  faxSubject: 'Fax erkennen am Betreff',
};

function StatusText({ account }: { account: AccountRow }) {
  if (!account.enabled) return <>deaktiviert</>;
  if (account.lastError && (!account.lastSuccessAt || (account.lastErrorAt && account.lastErrorAt > account.lastSuccessAt))) {
    return <>gestört</>;
  }
  return <>aktiv</>;
}

const noFigures: IntakeFigures = { today: 0, backlog: 0, skipped: [] };

export function ChannelsPage(props: {
  ctx: PageContext;
  accounts: AccountRow[];
  figures?: Map<number, IntakeFigures>;
  teams: TeamOption[];
  values?: FormValues;
  errors?: FieldErrors;
  notice?: NoticeKey | undefined;
}) {
  const { ctx, accounts, errors = {} } = props;
  return (
    <Layout ctx={ctx} title="Kanäle">
      <BackLink href="/admin">Verwaltung</BackLink>
      <h1 class="kern-heading-large">Kanäle</h1>
      {props.notice && <Alert kind="success" title={notices[props.notice]} />}
      <p class="kern-body">Postfächer, aus denen neue Mails als Anliegen in den Posteingang kommen und über die Antworten hinausgehen.</p>
      <p class="kern-body">
        <a class="kern-link" href="/admin/kanaele/mastodon">
          Mastodon-Konto verbinden
        </a>
      </p>
      <p class="kern-body">
        <a class="kern-link" href="/admin/kanaele/telegram">
          Telegram-Bot verbinden
        </a>
      </p>
      {accounts.length === 0 ? (
        <p class="kern-body">Noch keine Postfächer.</p>
      ) : (
        <div class="kern-table-responsive">
          <table class="kern-table kern-table--striped">
            <caption class="kern-title">Alle Postfächer ({accounts.length})</caption>
            <thead class="kern-table__header">
              <tr class="kern-table__row">
                <th scope="col">Name</th>
                <th scope="col">Absender</th>
                <th scope="col">Zustand</th>
                <th scope="col">Heute aufgenommen</th>
                <th scope="col">Rückstand</th>
                <th scope="col">Letzter erfolgreicher Kontakt</th>
                <th scope="col">Letzter Fehler</th>
                <th scope="col">Abruf</th>
              </tr>
            </thead>
            <tbody class="kern-table__body">
              {accounts.map((a) => (
                <tr class="kern-table__row" key={a.id}>
                  <th scope="row" class="kern-table__cell">
                    <a class="kern-link" href={`/admin/kanaele/${a.id}`}>
                      {a.name}
                    </a>
                  </th>
                  <td class="kern-table__cell">{a.settings.from}</td>
                  <td class="kern-table__cell">
                    <StatusText account={a} />
                  </td>
                  <td class="kern-table__cell">{(props.figures?.get(a.id) ?? noFigures).today}</td>
                  <td class="kern-table__cell">{(props.figures?.get(a.id) ?? noFigures).backlog}</td>
                  <td class="kern-table__cell">{lastContactText(a)}</td>
                  <td class="kern-table__cell">{a.lastError ?? '–'}</td>
                  <td class="kern-table__cell">
                    {a.enabled && (
                      <form method="post" action={`/admin/kanaele/${a.id}/abrufen`}>
                        <CsrfField token={ctx.csrfToken} />
                        <Button variant="secondary">
                          Jetzt abrufen<span class="visually-hidden"> ({a.name})</span>
                        </Button>
                      </form>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p class="kern-body">
        <a class="kern-link" href="/admin/kanaele/bluesky">
          Bluesky-Konto verbinden
        </a>
      </p>
      <h2 class="kern-heading-medium">Neues E-Mail-Postfach</h2>
      <ErrorSummary errors={errors} labels={labels} />
      <AccountForm action="/admin/kanaele" ctx={ctx} teams={props.teams} values={props.values ?? defaults} errors={errors} isNew />
    </Layout>
  );
}

const defaults: FormValues = { imapPort: '993', imapSecurity: 'imaps', mailbox: 'INBOX', smtpPort: '465', smtpSecurity: 'smtps' };

export function EditChannelPage(props: {
  ctx: PageContext;
  account: AccountRow;
  teams: TeamOption[];
  values: FormValues;
  errors?: FieldErrors;
  notice?: NoticeKey | undefined;
  test?: EmailTestResult | undefined;
  /** The answer to "Jetzt abrufen", or why it was refused. */
  fetched?: FetchRoundResult | { refused: string } | undefined;
  figures?: IntakeFigures | undefined;
}) {
  const { ctx, account: a, errors = {}, test, fetched } = props;
  const figures = props.figures ?? noFigures;
  const base = `/admin/kanaele/${a.id}`;
  const plaintext = plaintextWarning(a.settings);
  return (
    <Layout ctx={ctx} title={`Postfach: ${a.name}`}>
      <BackLink href="/admin/kanaele">Kanäle</BackLink>
      <h1 class="kern-heading-large">Postfach: {a.name}</h1>
      {props.notice && <Alert kind="success" title={notices[props.notice]} />}
      {plaintext && <Alert kind="warning" title={plaintext} />}
      {test && (
        <Alert kind={test.imap.ok && test.smtp.ok ? 'success' : 'danger'} title="Ergebnis des Verbindungstests">
          <ul class="kern-list">
            <li>{test.imap.text}</li>
            <li>{test.smtp.text}</li>
          </ul>
        </Alert>
      )}
      {fetched && 'refused' in fetched && <Alert kind="danger" title={fetched.refused} />}
      {fetched && !('refused' in fetched) && (
        <Alert kind={fetched.ok ? 'success' : 'danger'} title={fetched.ok ? 'Mails abgerufen' : 'Abruf gescheitert'}>
          <p class="kern-body">{fetchResultText(fetched)}</p>
        </Alert>
      )}
      <dl class="kern-description-list">
        <div class="kern-description-list-item">
          <dt class="kern-description-list-item__key">Zustand</dt>
          <dd class="kern-description-list-item__value">
            <StatusText account={a} />
          </dd>
        </div>
        <div class="kern-description-list-item">
          <dt class="kern-description-list-item__key">Abruf</dt>
          <dd class="kern-description-list-item__value">
            {imapSummary(a.settings)}; danach {afterIntakeText(a.settings)}
          </dd>
        </div>
        <div class="kern-description-list-item">
          <dt class="kern-description-list-item__key">Versand</dt>
          <dd class="kern-description-list-item__value">{smtpSummary(a.settings)}</dd>
        </div>
        <div class="kern-description-list-item">
          <dt class="kern-description-list-item__key">Zertifikate</dt>
          <dd class="kern-description-list-item__value">geprüft; {caText(a.settings)}</dd>
        </div>
        <div class="kern-description-list-item">
          <dt class="kern-description-list-item__key">Faxe</dt>
          <dd class="kern-description-list-item__value">{faxText(a.settings)}</dd>
        </div>
        <div class="kern-description-list-item">
          <dt class="kern-description-list-item__key">Letzter erfolgreicher Kontakt</dt>
          <dd class="kern-description-list-item__value">{lastContactText(a)}</dd>
        </div>
        <div class="kern-description-list-item">
          <dt class="kern-description-list-item__key">Letzter Fehler</dt>
          <dd class="kern-description-list-item__value">{a.lastError ?? 'keiner'}</dd>
        </div>
        <div class="kern-description-list-item">
          <dt class="kern-description-list-item__key">Heute aufgenommen</dt>
          <dd class="kern-description-list-item__value">{figures.today}</dd>
        </div>
        <div class="kern-description-list-item">
          <dt class="kern-description-list-item__key">Rückstand</dt>
          <dd class="kern-description-list-item__value">{figures.backlog}</dd>
        </div>
        {figures.skipped.length > 0 && (
          <div class="kern-description-list-item">
            <dt class="kern-description-list-item__key">Übersprungen (liegen ungelesen im Postfach)</dt>
            <dd class="kern-description-list-item__value">
              <ul class="kern-list">
                {figures.skipped.map((m) => (
                  <li key={m.uid}>
                    UID {m.uid}: {m.reason === 'failures' ? 'zu viele Fehlversuche' : 'zu groß'}, {formatDateTime(new Date(m.at))}
                  </li>
                ))}
              </ul>
            </dd>
          </div>
        )}
      </dl>
      <form method="post" action={`${base}/abrufen`} class="form-stack">
        <CsrfField token={ctx.csrfToken} />
        <Button>Jetzt abrufen</Button>
      </form>
      <form method="post" action={`${base}/test`} class="form-stack">
        <CsrfField token={ctx.csrfToken} />
        <Button variant="secondary">Verbindung testen</Button>
      </form>

      <h2 class="kern-heading-medium">Einstellungen ändern</h2>
      <ErrorSummary errors={errors} labels={labels} />
      <AccountForm action={base} ctx={ctx} teams={props.teams} values={props.values} errors={errors} />

      <h2 class="kern-heading-medium">{a.enabled ? 'Deaktivieren' : 'Wieder aktivieren'}</h2>
      <form method="post" action={`${base}/aktiv`} class="form-stack">
        <CsrfField token={ctx.csrfToken} />
        <input type="hidden" name="aktiv" value={a.enabled ? 'nein' : 'ja'} />
        <Button variant="secondary">{a.enabled ? 'Postfach deaktivieren' : 'Postfach wieder aktivieren'}</Button>
      </form>
      <h2 class="kern-heading-medium">Entfernen</h2>
      <p class="kern-body">
        Das Postfach und seine gespeicherten Zugangsdaten werden gelöscht. Die Mails im Postfach bleiben, wo sie sind.
      </p>
      <form method="post" action={`${base}/entfernen`} class="form-stack">
        <CsrfField token={ctx.csrfToken} />
        <Button variant="secondary">Postfach entfernen</Button>
      </form>
    </Layout>
  );
}

function AccountForm(props: {
  action: string;
  ctx: PageContext;
  teams: TeamOption[];
  values: FormValues;
  errors: FieldErrors;
  isNew?: boolean;
}) {
  const { values: v, errors: e } = props;
  const keep = props.isNew ? undefined : 'Leer lassen, um das gespeicherte Passwort zu behalten. Es wird nie angezeigt.';
  const field = (name: string) => ({ name, label: labels[name] ?? name, value: v[name], error: e[name] });
  return (
    <form method="post" action={props.action} class="form-stack" novalidate>
      <CsrfField token={props.ctx.csrfToken} />
      <TextField {...field('name')} hint="Zum Beispiel „Bürgerservice“ oder „Beschwerde“." maxLength={120} required />
      <TextField {...field('from')} type="email" hint="Von dieser Adresse gehen die Antworten hinaus." maxLength={254} required />
      <SelectField
        {...field('team')}
        optional
        emptyLabel="nach den Regeln"
        hint="Bekommt neue Anliegen aus diesem Postfach, wenn keine Regel greift."
        options={props.teams.map((t) => ({ value: t.slug, label: t.name }))}
      />
      <SelectField
        {...field('type')}
        optional
        emptyLabel="nach den Regeln"
        options={caseTypes.map((t) => ({ value: t, label: caseTypeLabels[t] }))}
      />
      <TextArea {...field('signature')} optional rows={4} maxLength={2000} hint="Steht unter jeder Antwort aus diesem Postfach." />
      <fieldset class="kern-fieldset">
        <legend class="kern-label">Abruf (IMAP)</legend>
        <div class="kern-fieldset__body form-stack">
          <TextField {...field('imapHost')} hint="Zum Beispiel mail.musterstadt.de" maxLength={253} required />
          <TextField {...field('imapPort')} type="number" hint="Meist 993 (TLS) oder 143 (STARTTLS)." required />
          <RadioGroup {...field('imapSecurity')} options={imapSecurities.map((s) => ({ value: s, label: securityLabels[s] }))} />
          <TextField {...field('imapUser')} autocomplete="off" required />
          <TextField
            {...field('imapPassword')}
            value={undefined}
            type="password"
            autocomplete="new-password"
            hint={keep}
            optional={!props.isNew}
            required={props.isNew}
          />
          <TextField {...field('mailbox')} hint="Meist INBOX." />
          <TextField {...field('moveTo')} optional hint="Leer: Abgerufene Mails werden als gelesen markiert und bleiben im Ordner." />
        </div>
      </fieldset>
      <fieldset class="kern-fieldset">
        <legend class="kern-label">Versand (SMTP)</legend>
        <div class="kern-fieldset__body form-stack">
          <TextField {...field('smtpHost')} maxLength={253} required />
          <TextField {...field('smtpPort')} type="number" hint="Meist 465 (TLS) oder 587 (STARTTLS)." required />
          <RadioGroup {...field('smtpSecurity')} options={smtpSecurities.map((s) => ({ value: s, label: securityLabels[s] }))} />
          <TextField {...field('smtpUser')} optional autocomplete="off" hint="Leer, wenn der Server ohne Anmeldung annimmt." />
          <TextField {...field('smtpPassword')} value={undefined} type="password" autocomplete="new-password" optional hint={keep} />
        </div>
      </fieldset>
      <fieldset class="kern-fieldset">
        <legend class="kern-label">Zertifikate</legend>
        <div class="kern-fieldset__body form-stack">
          <p class="kern-body">
            Die Zertifikate beider Server werden immer geprüft. Stellt die Stadt ihren Mailservern eigene Zertifikate aus, fügen Sie hier
            das Zertifikat ihrer Zertifizierungsstelle ein; es gilt zusätzlich zu den üblichen.
          </p>
          <TextArea
            {...field('caCertificate')}
            optional
            rows={6}
            maxLength={CA_MAX_LENGTH}
            hint="Im PEM-Format, beginnt mit -----BEGIN CERTIFICATE-----. Leer: nur die üblichen Zertifizierungsstellen."
          />
        </div>
      </fieldset>
      <fieldset class="kern-fieldset">
        <legend class="kern-label">Fax-Eingang</legend>
        <div class="kern-fieldset__body form-stack">
          <p class="kern-body">
            Die Telefonanlage stellt Faxe als Mail mit PDF zu. Solche Mails werden zu Anliegen mit dem Eingang „Fax“: Die Seiten erscheinen
            als Bilder, das PDF liegt bei, und es geht keine Eingangsbestätigung an die Anlage.
          </p>
          <Checkbox {...field('faxAll')} checked={v.faxAll === 'yes'} />
          <TextField
            {...field('faxSender')}
            optional
            maxLength={PATTERN_MAX_LENGTH}
            hint="Regulärer Ausdruck für die Absenderadresse der Anlage, z. B. ^fax@telefon\.musterstadt\.de$. Groß- und Kleinschreibung zählt nicht."
          />
          <TextField
            {...field('faxSubject')}
            optional
            maxLength={PATTERN_MAX_LENGTH}
            hint="Regulärer Ausdruck für den Betreff, z. B. ^Fax (von|from). Sind beide Felder ausgefüllt, müssen beide passen."
          />
        </div>
      </fieldset>
      <Button>{props.isNew ? 'Postfach anlegen' : 'Änderungen speichern'}</Button>
    </form>
  );
}
