import {
  Alert,
  Button,
  Checkbox,
  CsrfField,
  ErrorSummary,
  type FieldErrors,
  SelectField,
  TextArea,
  TextField,
} from '../../../ui/forms.tsx';
import { Layout, type PageContext } from '../../../ui/layout.tsx';
import { TEXT_MAX } from '../../cases/forms.ts';
import type { TemplateRow } from '../queries.ts';
import { templateVariables } from '../render.ts';
import { SIGNATURE_MAX, TITLE_MAX } from '../schemas.ts';

export interface TemplateFormValues {
  title?: string;
  teamId?: string;
  body?: string;
}

const labels = { title: 'Name', teamId: 'Gilt für', body: 'Text', signature: 'Signatur', roundRobin: 'Reihum zuweisen' };

export const templateNotices = {
  angelegt: 'Der Textbaustein ist angelegt.',
  gespeichert: 'Die Änderungen sind gespeichert.',
  geloescht: 'Der Textbaustein ist gelöscht.',
  team: 'Die Team-Einstellungen sind gespeichert.',
} as const;
export type TemplateNotice = keyof typeof templateNotices;

type Team = { id: number; name: string };

function Notice({ notice }: { notice: TemplateNotice | undefined }) {
  return notice ? <Alert kind="success" title={templateNotices[notice]} /> : null;
}

function VariableHelp() {
  return (
    <details class="variable-help">
      <summary class="kern-body">Platzhalter, die beim Einfügen ersetzt werden</summary>
      <dl class="kern-description-list">
        {Object.entries(templateVariables).map(([name, meaning]) => (
          <div class="kern-description-list-item" key={name}>
            <dt class="kern-description-list-item__key">
              <code>{`{{${name}}}`}</code>
            </dt>
            <dd class="kern-description-list-item__value">{meaning}</dd>
          </div>
        ))}
      </dl>
      <p class="kern-body kern-body--small">
        Anrede („Hallo …“) und Gruß mit Ihrem Namen und der Team-Signatur ergänzen wir beim Senden. Unbekannte Platzhalter bleiben sichtbar
        stehen, damit Sie sie vor dem Senden bemerken.
      </p>
    </details>
  );
}

function TemplateFields(props: { values: TemplateFormValues; errors: FieldErrors; teams: Team[]; isAdmin: boolean }) {
  const { values, errors } = props;
  return (
    <>
      <TextField
        name="title"
        label={labels.title}
        hint="Kurz, damit man ihn in der Liste findet, z. B. „Laterne repariert“."
        value={values.title}
        error={errors.title}
        maxLength={TITLE_MAX}
      />
      <SelectField
        name="teamId"
        label={labels.teamId}
        value={values.teamId}
        error={errors.teamId}
        {...(props.isAdmin ? { emptyLabel: 'alle Teams' } : {})}
        options={props.teams.map((t) => ({ value: String(t.id), label: t.name }))}
      />
      <TextArea name="body" label={labels.body} value={values.body} error={errors.body} maxLength={TEXT_MAX} rows={8} />
      <VariableHelp />
    </>
  );
}

export function TemplatesPage(p: {
  ctx: PageContext;
  templates: TemplateRow[];
  teams: Team[];
  isAdmin: boolean;
  values?: TemplateFormValues;
  errors?: FieldErrors;
  notice?: TemplateNotice | undefined;
}) {
  const errors = p.errors ?? {};
  const canCreate = p.isAdmin || p.teams.length > 0;
  return (
    <Layout ctx={p.ctx} title="Textbausteine">
      <h1 class="kern-heading-large">Textbausteine</h1>
      <p class="kern-body kern-body--large">
        Antworten, die oft gebraucht werden – freundlich, auf Augenhöhe und gern mit einem Augenzwinkern. Auf der Seite eines Anliegens
        fügen Sie sie mit einem Klick ins Antwortfeld ein.
      </p>
      <Notice notice={p.notice} />
      <ErrorSummary errors={errors} labels={labels} />
      {p.templates.length === 0 ? (
        <p class="kern-body">Noch keine Textbausteine. Legen Sie unten den ersten an.</p>
      ) : (
        <div class="kern-table-responsive">
          <table class="kern-table kern-table--striped">
            <caption class="kern-title">Textbausteine ({p.templates.length})</caption>
            <thead class="kern-table__header">
              <tr class="kern-table__row">
                <th scope="col">Name</th>
                <th scope="col">Gilt für</th>
                <th scope="col">Anfang des Textes</th>
              </tr>
            </thead>
            <tbody class="kern-table__body">
              {p.templates.map((t) => (
                <tr class="kern-table__row" key={t.id}>
                  <th scope="row" class="kern-table__cell">
                    <a class="kern-link" href={`/staff/textbausteine/${t.id}`}>
                      {t.title}
                    </a>
                  </th>
                  <td class="kern-table__cell">{t.teamName ?? 'alle Teams'}</td>
                  <td class="kern-table__cell">{t.body.length > 90 ? `${t.body.slice(0, 90)}…` : t.body}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {canCreate && (
        <section aria-labelledby="new-template-title">
          <h2 id="new-template-title" class="kern-heading-medium">
            Neuer Textbaustein
          </h2>
          <form method="post" action="/staff/textbausteine" class="form-stack">
            <CsrfField token={p.ctx.csrfToken} />
            <TemplateFields values={p.values ?? {}} errors={errors} teams={p.teams} isAdmin={p.isAdmin} />
            <Button>Textbaustein anlegen</Button>
          </form>
        </section>
      )}
      {p.teams.length > 0 && (
        <section aria-labelledby="team-settings-title">
          <h2 id="team-settings-title" class="kern-heading-medium">
            Signatur und Verteilung je Team
          </h2>
          <ul class="kern-list">
            {p.teams.map((t) => (
              <li key={t.id}>
                <a class="kern-link" href={`/staff/textbausteine/team/${t.id}`}>
                  {t.name}
                </a>
              </li>
            ))}
          </ul>
        </section>
      )}
    </Layout>
  );
}

export function EditTemplatePage(p: {
  ctx: PageContext;
  template: TemplateRow;
  teams: Team[];
  isAdmin: boolean;
  values: TemplateFormValues;
  errors?: FieldErrors;
  notice?: TemplateNotice | undefined;
}) {
  const errors = p.errors ?? {};
  return (
    <Layout ctx={p.ctx} title={`Textbaustein „${p.template.title}“`}>
      <p class="kern-body">
        <a class="kern-link" href="/staff/textbausteine">
          ← Alle Textbausteine
        </a>
      </p>
      <h1 class="kern-heading-large">Textbaustein „{p.template.title}“</h1>
      <Notice notice={p.notice} />
      <ErrorSummary errors={errors} labels={labels} />
      <form method="post" action={`/staff/textbausteine/${p.template.id}`} class="form-stack">
        <CsrfField token={p.ctx.csrfToken} />
        <TemplateFields values={p.values} errors={errors} teams={p.teams} isAdmin={p.isAdmin} />
        <Button>Speichern</Button>
      </form>
      <section aria-labelledby="delete-title">
        <h2 id="delete-title" class="kern-heading-medium">
          Löschen
        </h2>
        <form method="post" action={`/staff/textbausteine/${p.template.id}/loeschen`}>
          <CsrfField token={p.ctx.csrfToken} />
          <Button variant="secondary">Textbaustein löschen</Button>
        </form>
      </section>
    </Layout>
  );
}

export function TeamSettingsPage(p: {
  ctx: PageContext;
  team: Team;
  values: { signature?: string; roundRobin?: boolean };
  errors?: FieldErrors;
  notice?: TemplateNotice | undefined;
}) {
  const errors = p.errors ?? {};
  return (
    <Layout ctx={p.ctx} title={`Team-Einstellungen ${p.team.name}`}>
      <p class="kern-body">
        <a class="kern-link" href="/staff/textbausteine">
          ← Textbausteine
        </a>
      </p>
      <h1 class="kern-heading-large">Team-Einstellungen: {p.team.name}</h1>
      <Notice notice={p.notice} />
      <ErrorSummary errors={errors} labels={labels} />
      <form method="post" action={`/staff/textbausteine/team/${p.team.id}`} class="form-stack">
        <CsrfField token={p.ctx.csrfToken} />
        <TextArea
          name="signature"
          label={labels.signature}
          hint="Steht in jeder Antwort-E-Mail des Teams unter dem Namen der Person, die antwortet – statt der allgemeinen Zeile mit Team und Stadt. Leer lassen für die allgemeine Zeile."
          value={p.values.signature}
          error={errors.signature}
          maxLength={SIGNATURE_MAX}
          rows={4}
        />
        <Checkbox name="roundRobin" label={labels.roundRobin} checked={p.values.roundRobin ?? false} error={errors.roundRobin}>
          Neue Anliegen des Teams reihum den aktiven Mitgliedern zuweisen
        </Checkbox>
        <Button>Speichern</Button>
      </form>
    </Layout>
  );
}
