import { BackLink } from '../../../ui/back-link.tsx';
import { Alert, Button, Checkbox, CsrfField, ErrorSummary, type FieldErrors, RadioGroup, TextField } from '../../../ui/forms.tsx';
import { Layout, type PageContext } from '../../../ui/layout.tsx';
import type { UserRow } from '../queries.ts';
import { formatDateTime, Notice, type NoticeKey, roleLabels } from './common.tsx';

export interface TeamChoice {
  slug: string;
  name: string;
}

export interface UserFormValues {
  email?: string;
  displayName?: string;
  role?: string;
  teams?: string[];
}

const labels = { displayName: 'Name', email: 'E-Mail-Adresse', role: 'Rolle', teams: 'Teams', password: 'Passwort' };
const roleOptions = [
  { value: 'staff', label: `${roleLabels.staff} – bearbeiten Anliegen ihrer Teams` },
  { value: 'admin', label: `${roleLabels.admin} – zusätzlich Zugänge und Teams verwalten` },
];

export function UsersPage({ ctx, users, notice }: { ctx: PageContext; users: UserRow[]; notice?: NoticeKey | undefined }) {
  return (
    <Layout ctx={ctx} title="Zugänge">
      <BackLink href="/admin">Verwaltung</BackLink>
      <h1 class="kern-heading-large">Zugänge</h1>
      <Notice notice={notice} />
      <p class="kern-body">
        <a class="kern-btn kern-btn--primary" href="/admin/benutzer/neu">
          <span class="kern-label">Neuen Zugang anlegen</span>
        </a>
      </p>
      <div class="kern-table-responsive">
        <table class="kern-table kern-table--striped">
          <caption class="kern-title">Alle Zugänge ({users.length})</caption>
          <thead class="kern-table__header">
            <tr class="kern-table__row">
              <th scope="col">Name</th>
              <th scope="col">E-Mail-Adresse</th>
              <th scope="col">Rolle</th>
              <th scope="col">Teams</th>
              <th scope="col">Status</th>
              <th scope="col">Letzte Anmeldung</th>
            </tr>
          </thead>
          <tbody class="kern-table__body">
            {users.map((u) => (
              <tr class="kern-table__row" key={u.id}>
                <th scope="row" class="kern-table__cell">
                  <a class="kern-link" href={`/admin/benutzer/${u.id}`}>
                    {u.displayName}
                  </a>
                </th>
                <td class="kern-table__cell">{u.email}</td>
                <td class="kern-table__cell">{roleLabels[u.role]}</td>
                <td class="kern-table__cell">{u.teams.length ? u.teams.map((t) => t.name).join(', ') : '–'}</td>
                <td class="kern-table__cell">
                  {u.active ? (
                    <span class="kern-badge kern-badge--success">
                      <span class="kern-label kern-label--small">aktiv</span>
                    </span>
                  ) : (
                    <span class="kern-badge kern-badge--danger">
                      <span class="kern-label kern-label--small">deaktiviert</span>
                    </span>
                  )}
                  {u.throttledUntil && (
                    <>
                      {' '}
                      <span class="kern-badge kern-badge--warning">
                        <span class="kern-label kern-label--small">Anmeldung gebremst</span>
                      </span>
                    </>
                  )}
                </td>
                <td class="kern-table__cell">{u.lastLoginAt ? formatDateTime(u.lastLoginAt) : 'noch nie'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Layout>
  );
}

/** Team checkboxes are named "team:<slug>", so each is a plain yes/no box (see routes). */
function TeamCheckboxes({ teams, selected, error }: { teams: TeamChoice[]; selected: string[]; error?: string | undefined }) {
  return (
    <fieldset
      class={`kern-fieldset${error ? ' kern-fieldset--error' : ''}`}
      id="teams"
      aria-describedby={error ? 'teams-error' : 'teams-hint'}
    >
      <legend class="kern-label">{labels.teams}</legend>
      <div class="kern-hint" id="teams-hint">
        Anliegen dieser Teams erscheinen im Posteingang der Person.
      </div>
      <div class="kern-fieldset__body">
        {teams.length === 0 && <p class="kern-body">Es gibt noch keine Teams.</p>}
        {teams.map((t) => (
          <Checkbox key={t.slug} id={`team-${t.slug}`} name={`team:${t.slug}`} label={t.name} checked={selected.includes(t.slug)} />
        ))}
      </div>
      {error && (
        <p class="kern-error" id="teams-error">
          <span class="kern-body">{error}</span>
        </p>
      )}
    </fieldset>
  );
}

export function NewUserPage({
  ctx,
  teams,
  values,
  errors = {},
}: {
  ctx: PageContext;
  teams: TeamChoice[];
  values: UserFormValues;
  errors?: FieldErrors;
}) {
  return (
    <Layout ctx={ctx} title="Neuer Zugang">
      <BackLink href="/admin/benutzer">Zugänge</BackLink>
      <h1 class="kern-heading-large">Neuer Zugang</h1>
      <ErrorSummary errors={errors} labels={labels} />
      <form method="post" action="/admin/benutzer" class="form-stack" novalidate>
        <CsrfField token={ctx.csrfToken} />
        <TextField
          name="displayName"
          label={labels.displayName}
          autocomplete="off"
          maxLength={120}
          required
          value={values.displayName}
          error={errors.displayName}
        />
        <TextField
          name="email"
          label={labels.email}
          type="email"
          autocomplete="off"
          maxLength={254}
          required
          value={values.email}
          error={errors.email}
        />
        <RadioGroup name="role" label={labels.role} options={roleOptions} value={values.role ?? 'staff'} error={errors.role} />
        <TeamCheckboxes teams={teams} selected={values.teams ?? []} error={errors.teams} />
        <TextField
          name="password"
          label={labels.password}
          type="password"
          autocomplete="new-password"
          maxLength={256}
          optional
          hint="Mindestens 12 Zeichen. Leer lassen: Wir erzeugen ein sicheres Passwort und zeigen es Ihnen einmal an."
          error={errors.password}
        />
        <Button>Zugang anlegen</Button>
      </form>
    </Layout>
  );
}

export function EditUserPage({
  ctx,
  user,
  teams,
  values,
  errors = {},
  notice,
  problem,
  isSelf,
}: {
  ctx: PageContext;
  user: UserRow;
  /** The admin looking at their own account: some actions are not offered. */
  isSelf: boolean;
  teams: TeamChoice[];
  values: UserFormValues;
  errors?: FieldErrors;
  notice?: NoticeKey | undefined;
  /** A refused action outside the main form (deactivating oneself …). */
  problem?: string | undefined;
}) {
  return (
    <Layout ctx={ctx} title={`Zugang: ${user.displayName}`}>
      <BackLink href="/admin/benutzer">Zugänge</BackLink>
      <h1 class="kern-heading-large">Zugang: {user.displayName}</h1>
      <Notice notice={notice} />
      {problem && <Alert kind="danger" title={problem} />}
      <p class="kern-body">
        {user.email} · {user.active ? 'aktiv' : 'deaktiviert'} · letzte Anmeldung:{' '}
        {user.lastLoginAt ? formatDateTime(user.lastLoginAt) : 'noch nie'}
      </p>
      {user.throttledUntil && (
        <section aria-labelledby="anmeldeschutz">
          <h2 class="kern-heading-medium" id="anmeldeschutz">
            Anmeldeschutz
          </h2>
          <form method="post" action={`/admin/benutzer/${user.id}/anmeldeschutz`} class="form-stack">
            <CsrfField token={ctx.csrfToken} />
            <p class="kern-body">
              Nach mehreren Fehlversuchen prüfen wir Anmeldungen bei diesem Zugang nur noch mit wachsenden Pausen (Wartezeit zuletzt bis{' '}
              {formatDateTime(user.throttledUntil)}). Heben Sie die Sperre auf, wenn die Person sich jetzt anmelden möchte. Alle Zähler
              sehen Sie unter{' '}
              <a class="kern-link" href="/admin/anmeldungen">
                Anmeldeschutz
              </a>
              .
            </p>
            <Button variant="secondary">Sperre aufheben</Button>
          </form>
        </section>
      )}
      <ErrorSummary errors={errors} labels={labels} />
      <form method="post" action={`/admin/benutzer/${user.id}`} class="form-stack" novalidate>
        <CsrfField token={ctx.csrfToken} />
        <TextField
          name="displayName"
          label={labels.displayName}
          autocomplete="off"
          maxLength={120}
          required
          value={values.displayName}
          error={errors.displayName}
        />
        <RadioGroup name="role" label={labels.role} options={roleOptions} value={values.role} error={errors.role} />
        <TeamCheckboxes teams={teams} selected={values.teams ?? []} error={errors.teams} />
        <Button>Änderungen speichern</Button>
      </form>

      <h2 class="kern-heading-medium">Passwort zurücksetzen</h2>
      <form method="post" action={`/admin/benutzer/${user.id}/passwort`} class="form-stack" novalidate>
        <CsrfField token={ctx.csrfToken} />
        <TextField
          name="password"
          label="Neues Passwort"
          type="password"
          autocomplete="new-password"
          maxLength={256}
          optional
          hint="Leer lassen: Wir erzeugen eines und zeigen es einmal an. Offene Sitzungen der Person werden beendet, die Bremse nach Fehlversuchen aufgehoben."
          error={errors.password}
        />
        <Button variant="secondary">Passwort setzen</Button>
      </form>

      <h2 class="kern-heading-medium">{user.active ? 'Zugang deaktivieren' : 'Zugang wieder aktivieren'}</h2>
      {user.active ? (
        <form method="post" action={`/admin/benutzer/${user.id}/deaktivieren`} class="form-stack">
          <CsrfField token={ctx.csrfToken} />
          <p class="kern-body">
            {isSelf
              ? 'Das ist Ihr eigener Zugang – deaktivieren kann ihn nur eine andere Person aus der Verwaltung.'
              : 'Die Person kann sich danach nicht mehr anmelden; laufende Sitzungen enden sofort. Ihre bisherigen Antworten bleiben erhalten.'}
          </p>
          <Button variant="secondary">Zugang deaktivieren</Button>
        </form>
      ) : (
        <form method="post" action={`/admin/benutzer/${user.id}/aktivieren`} class="form-stack">
          <CsrfField token={ctx.csrfToken} />
          <Button variant="secondary">Zugang aktivieren</Button>
        </form>
      )}
    </Layout>
  );
}

/** Shown exactly once, right after the password was generated; it is stored only as a hash. */
export function PasswordOncePage({
  ctx,
  user,
  password,
  created,
}: {
  ctx: PageContext;
  user: UserRow;
  password: string;
  created: boolean;
}) {
  return (
    <Layout ctx={ctx} title={created ? 'Zugang angelegt' : 'Passwort gesetzt'}>
      <h1 class="kern-heading-large">{created ? 'Zugang angelegt' : 'Neues Passwort gesetzt'}</h1>
      <Alert kind="warning" title="Dieses Passwort sehen Sie nur jetzt.">
        <p class="kern-body">
          Geben Sie es {user.displayName} auf sicherem Weg weiter (nicht per unverschlüsselter E-Mail). Wir speichern es nur verschlüsselt
          und können es später nicht mehr anzeigen.
        </p>
      </Alert>
      <dl class="kern-description-list">
        <div class="kern-description-list-item">
          <dt class="kern-description-list-item__key">E-Mail-Adresse</dt>
          <dd class="kern-description-list-item__value">{user.email}</dd>
        </div>
        <div class="kern-description-list-item">
          <dt class="kern-description-list-item__key">Passwort</dt>
          <dd class="kern-description-list-item__value">
            <code class="generated-password">{password}</code>
          </dd>
        </div>
      </dl>
      <p class="kern-body">
        <a class="kern-link" href={`/admin/benutzer/${user.id}`}>
          Zum Zugang
        </a>{' '}
        ·{' '}
        <a class="kern-link" href="/admin/benutzer">
          Alle Zugänge
        </a>
      </p>
    </Layout>
  );
}
