import { BackLink } from '../../../ui/back-link.tsx';
import { Button, CsrfField, ErrorSummary, type FieldErrors, RadioGroup, TextField } from '../../../ui/forms.tsx';
import { Layout, type PageContext } from '../../../ui/layout.tsx';
import type { TeamRow } from '../queries.ts';
import { Notice, type NoticeKey } from './common.tsx';

export interface TeamFormValues {
  name?: string;
  email?: string;
  followupAfterClose?: string;
}

const labels = {
  name: 'Name des Teams',
  email: 'E-Mail-Adresse des Teams',
  followupAfterClose: 'Nachricht zu einem abgeschlossenen Anliegen',
};
const followupOptions = [
  { value: 'reopen', label: 'Das Anliegen wird wieder geöffnet' },
  { value: 'new_case', label: 'Ein neues Anliegen entsteht, verknüpft mit dem abgeschlossenen („Folgeanliegen“)' },
];
const followupHint =
  'Wenn Bürgerinnen und Bürger auf eine Antwort zu einem erledigten Anliegen schreiben. Ein neues Anliegen durchläuft die übliche Zuordnung und bekommt eigene Fristen.';
const emailHint = 'Optional. An diese Adresse gehen Hinweise auf neue Anliegen des Teams.';

export function TeamsPage({
  ctx,
  teams,
  values = {},
  errors = {},
  notice,
}: {
  ctx: PageContext;
  teams: TeamRow[];
  values?: TeamFormValues;
  errors?: FieldErrors;
  notice?: NoticeKey | undefined;
}) {
  return (
    <Layout ctx={ctx} title="Teams">
      <BackLink href="/admin">Verwaltung</BackLink>
      <h1 class="kern-heading-large">Teams</h1>
      <Notice notice={notice} />
      <div class="kern-table-responsive">
        <table class="kern-table kern-table--striped">
          <caption class="kern-title">Alle Teams ({teams.length})</caption>
          <thead class="kern-table__header">
            <tr class="kern-table__row">
              <th scope="col">Name</th>
              <th scope="col">Kurzname</th>
              <th scope="col">E-Mail-Adresse</th>
              <th scope="col" class="kern-table__header--numeric">
                Mitglieder
              </th>
            </tr>
          </thead>
          <tbody class="kern-table__body">
            {teams.map((t) => (
              <tr class="kern-table__row" key={t.id}>
                <th scope="row" class="kern-table__cell">
                  <a class="kern-link" href={`/admin/teams/${t.id}`}>
                    {t.name}
                  </a>
                </th>
                <td class="kern-table__cell">
                  <code>{t.slug}</code>
                </td>
                <td class="kern-table__cell">{t.email ?? '–'}</td>
                <td class="kern-table__cell kern-table__cell--numeric">{t.members}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2 class="kern-heading-medium">Neues Team</h2>
      <ErrorSummary errors={errors} labels={labels} />
      <form method="post" action="/admin/teams" class="form-stack" novalidate>
        <CsrfField token={ctx.csrfToken} />
        <TextField
          name="name"
          label={labels.name}
          hint="Zum Beispiel „Grünflächenamt“. Der Kurzname für die Kommandozeile entsteht daraus automatisch."
          maxLength={120}
          required
          value={values.name}
          error={errors.name}
        />
        <TextField
          name="email"
          label={labels.email}
          type="email"
          optional
          hint={emailHint}
          maxLength={254}
          value={values.email}
          error={errors.email}
        />
        <Button>Team anlegen</Button>
      </form>
    </Layout>
  );
}

export function EditTeamPage({
  ctx,
  team,
  values,
  errors = {},
  notice,
}: {
  ctx: PageContext;
  team: TeamRow;
  values: TeamFormValues;
  errors?: FieldErrors;
  notice?: NoticeKey | undefined;
}) {
  return (
    <Layout ctx={ctx} title={`Team: ${team.name}`}>
      <BackLink href="/admin/teams">Teams</BackLink>
      <h1 class="kern-heading-large">Team: {team.name}</h1>
      <Notice notice={notice} />
      <p class="kern-body">
        Kurzname <code>{team.slug}</code> · {team.members} {team.members === 1 ? 'Mitglied' : 'Mitglieder'}
      </p>
      <ErrorSummary errors={errors} labels={labels} />
      <form method="post" action={`/admin/teams/${team.id}`} class="form-stack" novalidate>
        <CsrfField token={ctx.csrfToken} />
        <TextField name="name" label={labels.name} maxLength={120} required value={values.name} error={errors.name} />
        <TextField
          name="email"
          label={labels.email}
          type="email"
          optional
          hint={emailHint}
          maxLength={254}
          value={values.email}
          error={errors.email}
        />
        <RadioGroup
          name="followupAfterClose"
          label={labels.followupAfterClose}
          hint={followupHint}
          options={followupOptions}
          value={values.followupAfterClose}
          error={errors.followupAfterClose}
        />
        <Button>Änderungen speichern</Button>
      </form>
    </Layout>
  );
}
