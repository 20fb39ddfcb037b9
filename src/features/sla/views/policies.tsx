import {
  Alert,
  Button,
  Checkbox,
  CsrfField,
  ErrorSummary,
  type FieldErrors,
  RadioGroup,
  SelectField,
  TextField,
} from '../../../ui/forms.tsx';
import { Layout, type PageContext } from '../../../ui/layout.tsx';
import { caseTypeLabels, priorityLabels } from '../../cases/labels.ts';
import { minutesPerUnit, WORKING_DAY_MINUTES } from '../admin-forms.ts';
import type { PolicyRow } from '../admin-queries.ts';
import { formatBusinessMinutes } from '../case-clock.ts';
import { formatClosedDays, formatWeek } from '../hours.ts';

export type PolicyFormValues = Partial<
  Record<
    | 'name'
    | 'teamId'
    | 'caseType'
    | 'priority'
    | 'targetUnit'
    | 'responseMinutes'
    | 'resolutionMinutes'
    | 'warnPercent'
    | 'overridesTeam'
    | 'laufende',
    string
  >
>;

export const policyLabels = {
  name: 'Name der Frist',
  teamId: 'Team',
  caseType: 'Art',
  priority: 'Priorität',
  targetUnit: 'Zeiten angeben in',
  responseMinutes: 'Zeit bis zur ersten Antwort',
  resolutionMinutes: 'Zeit bis zur Erledigung',
  warnPercent: 'Warnung ab (Prozent der Zeit)',
  overridesTeam: 'Vorrang vor Team-Fristen',
};

export const slaNotices = {
  angelegt: 'Die Frist ist angelegt. Sie gilt für Anliegen, die ab jetzt eingehen oder deren Team, Art oder Priorität sich ändert.',
  gespeichert: 'Die Änderungen sind gespeichert. Laufende Fristen behalten ihre Zeiten.',
  angewendet: 'Die Änderungen sind gespeichert und gelten auch für die laufenden Fälle mit dieser Frist.',
  geloescht: 'Die Frist ist gelöscht. Laufende Fristen behalten ihre Zeiten.',
  zeiten: 'Öffnungszeiten und Teamleitung sind gespeichert.',
  standard: 'Das Team arbeitet wieder nach den Standard-Öffnungszeiten.',
} as const;
export type SlaNotice = keyof typeof slaNotices;

const number = (n: number) => n.toLocaleString('de-DE');

/** The notice after a change, with how many running clocks moved along (or are being moved by jobs). */
export function noticeText(key: SlaNotice, recomputed?: { count: number; later: boolean }): string {
  if (!recomputed) return slaNotices[key];
  const { count, later } = recomputed;
  if (count === 0) return `${slaNotices[key]} Kein laufender Fall war betroffen.`;
  if (later) return `${slaNotices[key]} Fristen von ${number(count)} ${count === 1 ? 'Fall' : 'Fällen'} werden neu berechnet.`;
  return `${slaNotices[key]} Fristen von ${number(count)} ${count === 1 ? 'Fall' : 'Fällen'} sind neu berechnet.`;
}

const options = (labels: Record<string, string>) => Object.entries(labels).map(([value, label]) => ({ value, label }));
const amountText = (minutes: number, per: number) => String(Math.round((minutes / per) * 100) / 100).replace('.', ',');

/** "2 Arbeitstage (16 Std.)" for a policy entered in working days, else the hours as before. */
export function targetText(minutes: number, unit: PolicyRow['targetUnit']): string {
  if (unit !== 'working_days') return formatBusinessMinutes(minutes);
  const days = amountText(minutes, WORKING_DAY_MINUTES);
  return `${days} ${days === '1' ? 'Arbeitstag' : 'Arbeitstage'} (${formatBusinessMinutes(minutes)})`;
}

export function policyValues(p: PolicyRow): PolicyFormValues {
  const per = minutesPerUnit[p.targetUnit];
  return {
    name: p.name,
    teamId: p.teamId === null ? '' : String(p.teamId),
    caseType: p.caseType ?? '',
    priority: p.priority ?? '',
    targetUnit: p.targetUnit,
    responseMinutes: amountText(p.responseMinutes, per),
    resolutionMinutes: amountText(p.resolutionMinutes, per),
    warnPercent: String(p.warnPercent),
    overridesTeam: p.overridesTeam ? 'yes' : '',
  };
}

/** The precedence in one place, shown above the list and beside the form. */
export const PRECEDENCE_TEXT =
  'Welche Frist gilt? Von allen passenden Fristen die genaueste: Team vor Art vor Priorität. Eine Frist mit „Vorrang vor Team-Fristen“ (etwa für „dringend“) schlägt jede passende Frist ohne diesen Haken, auch die eines Teams.';

export function scopeText(p: Pick<PolicyRow, 'teamName' | 'caseType' | 'priority'>): string {
  const parts = [
    p.teamName ?? 'alle Teams',
    p.caseType ? caseTypeLabels[p.caseType] : 'alle Arten',
    p.priority ? `Priorität ${priorityLabels[p.priority]}` : 'jede Priorität',
  ];
  return parts.join(' · ');
}

export function PolicyFields({
  teams,
  values,
  errors,
}: {
  teams: { id: number; name: string }[];
  values: PolicyFormValues;
  errors: FieldErrors;
}) {
  return (
    <>
      <TextField name="name" label={policyLabels.name} maxLength={120} required value={values.name} error={errors.name} />
      <SelectField
        name="teamId"
        label={policyLabels.teamId}
        hint="Leer lassen, wenn die Frist für alle Teams gilt."
        emptyLabel="alle Teams"
        value={values.teamId}
        error={errors.teamId}
        options={teams.map((t) => ({ value: String(t.id), label: t.name }))}
      />
      <SelectField
        name="caseType"
        label={policyLabels.caseType}
        emptyLabel="alle Arten"
        value={values.caseType}
        error={errors.caseType}
        options={options(caseTypeLabels)}
      />
      <SelectField
        name="priority"
        label={policyLabels.priority}
        emptyLabel="jede Priorität"
        value={values.priority}
        error={errors.priority}
        options={options(priorityLabels)}
      />
      <RadioGroup
        name="targetUnit"
        label={policyLabels.targetUnit}
        hint={`Ein Arbeitstag zählt ${WORKING_DAY_MINUTES / 60} Stunden Arbeitszeit nach den Öffnungszeiten des Teams: 2 Arbeitstage sind 16 Stunden.`}
        value={values.targetUnit || 'hours'}
        error={errors.targetUnit}
        options={[
          { value: 'hours', label: 'Stunden' },
          { value: 'working_days', label: 'Arbeitstagen' },
        ]}
      />
      <TextField
        name="responseMinutes"
        label={policyLabels.responseMinutes}
        hint="Gezählt wird Arbeitszeit nach den Öffnungszeiten des Teams, z. B. 8 oder 1,5."
        maxLength={8}
        required
        value={values.responseMinutes}
        error={errors.responseMinutes}
      />
      <TextField
        name="resolutionMinutes"
        label={policyLabels.resolutionMinutes}
        hint="Ebenfalls Arbeitszeit. Solange ein Anliegen auf eine Rückmeldung wartet, steht die Uhr."
        maxLength={8}
        required
        value={values.resolutionMinutes}
        error={errors.resolutionMinutes}
      />
      <TextField
        name="warnPercent"
        label={policyLabels.warnPercent}
        hint="Zwischen 50 und 95. Bei 80 kommt die Erinnerung, wenn vier Fünftel der Zeit um sind."
        maxLength={3}
        required
        value={values.warnPercent}
        error={errors.warnPercent}
      />
      <Checkbox
        name="overridesTeam"
        label={policyLabels.overridesTeam}
        checked={values.overridesTeam === 'yes'}
        error={errors.overridesTeam}
      >
        Vorrang vor Team-Fristen: Diese Frist gilt auch dort, wo ein Team eine eigene, genauere Frist hat – etwa „dringend: 2 Stunden“ vor
        „Tiefbauamt: 24 Stunden“.
      </Checkbox>
    </>
  );
}

export interface HoursOverviewRow {
  teamId: number | null;
  name: string;
  own: boolean;
  week: readonly (readonly (readonly [number, number])[])[];
  closedDays: readonly string[];
  leads: string[];
}

export function SlaOverviewPage(props: {
  ctx: PageContext;
  policies: PolicyRow[];
  teams: { id: number; name: string }[];
  hours: HoursOverviewRow[];
  bundesland: string;
  holidays: { date: string; name: string }[];
  values?: PolicyFormValues;
  errors?: FieldErrors;
  notice?: { key: SlaNotice; recomputed?: { count: number; later: boolean } } | undefined;
}) {
  const errors = props.errors ?? {};
  return (
    <Layout ctx={props.ctx} title="Fristen">
      <p class="kern-body">
        <a class="kern-link" href="/admin">
          ← Verwaltung
        </a>
      </p>
      <h1 class="kern-heading-large">Fristen</h1>
      {props.notice && <Alert kind="success" title={noticeText(props.notice.key, props.notice.recomputed)} />}
      <p class="kern-body kern-body--large">
        Wie schnell antworten wir, und bis wann ist ein Anliegen erledigt? Gezählt wird Arbeitszeit: die Öffnungszeiten des Teams, ohne
        Wochenenden und ohne die gesetzlichen Feiertage in {props.bundesland}.
      </p>
      <p class="kern-body" id="vorrang">
        {PRECEDENCE_TEXT}
      </p>
      <div class="kern-table-responsive">
        <table class="kern-table kern-table--striped">
          <caption class="kern-title">Fristen ({props.policies.length})</caption>
          <thead class="kern-table__header">
            <tr class="kern-table__row">
              <th scope="col">Name</th>
              <th scope="col">Gilt für</th>
              <th scope="col">Erste Antwort</th>
              <th scope="col">Erledigung</th>
              <th scope="col">Warnung ab</th>
              <th scope="col">Vorrang</th>
            </tr>
          </thead>
          <tbody class="kern-table__body">
            {props.policies.map((p) => (
              <tr class="kern-table__row" key={p.id}>
                <th scope="row" class="kern-table__cell">
                  <a class="kern-link" href={`/admin/fristen/${p.id}`}>
                    {p.name}
                  </a>
                </th>
                <td class="kern-table__cell">{scopeText(p)}</td>
                <td class="kern-table__cell">{targetText(p.responseMinutes, p.targetUnit)}</td>
                <td class="kern-table__cell">{targetText(p.resolutionMinutes, p.targetUnit)}</td>
                <td class="kern-table__cell">{p.warnPercent} %</td>
                <td class="kern-table__cell">{p.overridesTeam ? 'vor Team-Fristen' : '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {props.policies.length === 0 && (
        <p class="kern-body">
          Noch keine Frist: Ohne Frist läuft für neue Anliegen keine Uhr. Eine Frist für alle Teams ist ein guter Anfang.
        </p>
      )}

      <h2 class="kern-heading-medium">Neue Frist</h2>
      <ErrorSummary errors={errors} labels={policyLabels} />
      <form method="post" action="/admin/fristen" class="form-stack" novalidate>
        <CsrfField token={props.ctx.csrfToken} />
        <PolicyFields teams={props.teams} values={props.values ?? { warnPercent: '80' }} errors={errors} />
        <Button>Frist anlegen</Button>
      </form>

      <h2 class="kern-heading-medium">Öffnungszeiten und Teamleitung</h2>
      <p class="kern-body">Die Teamleitung bekommt eine E-Mail, wenn eine Frist überschritten ist.</p>
      <div class="kern-table-responsive">
        <table class="kern-table kern-table--striped">
          <caption class="kern-title">Öffnungszeiten je Team</caption>
          <thead class="kern-table__header">
            <tr class="kern-table__row">
              <th scope="col">Team</th>
              <th scope="col">Öffnungszeiten</th>
              <th scope="col">Schließtage</th>
              <th scope="col">Teamleitung</th>
            </tr>
          </thead>
          <tbody class="kern-table__body">
            {props.hours.map((h) => (
              <tr class="kern-table__row" key={h.teamId ?? 'standard'}>
                <th scope="row" class="kern-table__cell">
                  <a class="kern-link" href={`/admin/fristen/zeiten/${h.teamId ?? 'standard'}`}>
                    {h.name}
                  </a>
                </th>
                <td class="kern-table__cell">{h.own ? formatWeek(h.week) : 'wie Standard'}</td>
                <td class="kern-table__cell">{h.own && h.closedDays.length ? formatClosedDays(h.closedDays) : h.own ? 'keine' : '–'}</td>
                <td class="kern-table__cell">{h.teamId === null ? '–' : h.leads.length ? h.leads.join(', ') : 'niemand'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2 class="kern-heading-medium">Die nächsten Feiertage</h2>
      <ul class="kern-list">
        {props.holidays.map((h) => (
          <li key={h.date}>
            <time dateTime={h.date}>{`${h.date.slice(8, 10)}.${h.date.slice(5, 7)}.${h.date.slice(0, 4)}`}</time> – {h.name}
          </li>
        ))}
      </ul>
    </Layout>
  );
}

export function EditPolicyPage(props: {
  ctx: PageContext;
  policy: PolicyRow;
  teams: { id: number; name: string }[];
  values: PolicyFormValues;
  errors?: FieldErrors;
}) {
  const errors = props.errors ?? {};
  return (
    <Layout ctx={props.ctx} title={`Frist: ${props.policy.name}`}>
      <p class="kern-body">
        <a class="kern-link" href="/admin/fristen">
          ← Fristen
        </a>
      </p>
      <h1 class="kern-heading-large">Frist: {props.policy.name}</h1>
      <p class="kern-body">
        Gilt jetzt für: {scopeText(props.policy)}. Änderungen gelten für Fristen, die ab jetzt beginnen – und auf Wunsch auch für die
        offenen Fälle, die diese Frist schon haben.
      </p>
      <p class="kern-body">{PRECEDENCE_TEXT}</p>
      <ErrorSummary errors={errors} labels={policyLabels} />
      <form method="post" action={`/admin/fristen/${props.policy.id}`} class="form-stack" novalidate>
        <CsrfField token={props.ctx.csrfToken} />
        <PolicyFields teams={props.teams} values={props.values} errors={errors} />
        <Checkbox name="laufende" label="Auch auf laufende Fälle mit dieser Frist anwenden" checked={props.values.laufende === 'yes'}>
          Auch auf laufende Fälle mit dieser Frist anwenden. Deren Fälligkeiten werden mit den neuen Stunden neu berechnet; eine schon
          beantwortete oder schon eskalierte Frist bleibt, wie sie war.
        </Checkbox>
        <Button>Änderungen speichern</Button>
      </form>
      <h2 class="kern-heading-medium">Frist löschen</h2>
      <form method="post" action={`/admin/fristen/${props.policy.id}/loeschen`} class="form-stack">
        <CsrfField token={props.ctx.csrfToken} />
        <p class="kern-body">Laufende Fristen behalten ihre Zeiten; neue Anliegen bekommen dann die nächstbeste passende Frist.</p>
        <Button variant="secondary">Frist löschen</Button>
      </form>
    </Layout>
  );
}
