import { Button, CsrfField, ErrorSummary, type FieldErrors, TextField } from '../../../ui/forms.tsx';
import { Layout, type PageContext } from '../../../ui/layout.tsx';
import { weekdayNames } from '../hours.ts';

export type OfficeHoursValues = Record<string, string>;

const labels: Record<string, string> = {
  ...Object.fromEntries(weekdayNames.map((d, i) => [`day${i}`, d])),
  closedDays: 'Schließtage',
  lead: 'Teamleitung',
};

export function OfficeHoursPage(props: {
  ctx: PageContext;
  team: { id: number; name: string } | null;
  own: boolean;
  values: OfficeHoursValues;
  leads: { id: number; name: string; email: string; lead: boolean }[];
  errors?: FieldErrors;
}) {
  const errors = props.errors ?? {};
  const title = props.team ? `Öffnungszeiten: ${props.team.name}` : 'Standard-Öffnungszeiten';
  const action = `/admin/fristen/zeiten/${props.team?.id ?? 'standard'}`;
  return (
    <Layout ctx={props.ctx} title={title}>
      <p class="kern-body">
        <a class="kern-link" href="/admin/fristen">
          ← Fristen
        </a>
      </p>
      <h1 class="kern-heading-large">{title}</h1>
      <p class="kern-body">
        {props.team
          ? props.own
            ? 'Dieses Team hat eigene Öffnungszeiten.'
            : 'Dieses Team arbeitet nach den Standard-Öffnungszeiten. Wer hier speichert, gibt ihm eigene.'
          : 'Gelten für jedes Team ohne eigene Öffnungszeiten.'}{' '}
        Nur in diesen Zeiten läuft die Uhr einer Frist. Neue Zeiten gelten ab dem Speichern auch für die Fristen offener Fälle: Schon
        verstrichene Arbeitszeit bleibt verstrichen, die restliche Zeit zählt nach den neuen Öffnungszeiten.
      </p>
      <ErrorSummary errors={errors} labels={labels} />
      <form method="post" action={action} class="form-stack" novalidate>
        <CsrfField token={props.ctx.csrfToken} />
        <fieldset class="kern-fieldset">
          <legend class="kern-label">Öffnungszeiten</legend>
          <div class="kern-hint" id="hours-hint">
            Zum Beispiel 08:00–16:00, mehrere Zeiten mit Komma (08:00–12:00, 13:00–16:00). Leer heißt geschlossen.
          </div>
          <div class="kern-fieldset__body">
            {weekdayNames.map((day, i) => (
              <TextField name={`day${i}`} label={day} maxLength={200} value={props.values[`day${i}`]} error={errors[`day${i}`]} key={day} />
            ))}
          </div>
        </fieldset>
        <TextField
          name="closedDays"
          label="Schließtage (jedes Jahr)"
          hint="Zusätzlich zu den gesetzlichen Feiertagen, z. B. 24.12., 31.12."
          optional
          maxLength={500}
          value={props.values.closedDays}
          error={errors.closedDays}
        />
        {props.team && (
          <fieldset class={`kern-fieldset${errors.lead ? ' kern-fieldset--error' : ''}`} id="lead">
            <legend class="kern-label">Teamleitung</legend>
            <div class="kern-hint">
              Bekommt eine E-Mail, wenn eine Frist dieses Teams überschritten ist. Ohne Teamleitung geht sie an die Adresse des Teams.
            </div>
            <div class="kern-fieldset__body">
              {props.leads.length === 0 && <p class="kern-body">Dieses Team hat noch keine Mitglieder.</p>}
              {props.leads.map((u) => (
                <div class="kern-form-check" key={u.id}>
                  <input
                    class="kern-form-check__checkbox"
                    type="checkbox"
                    id={`lead-${u.id}`}
                    name="lead"
                    value={String(u.id)}
                    checked={u.lead}
                  />
                  <label class="kern-label" for={`lead-${u.id}`}>
                    {u.name} ({u.email})
                  </label>
                </div>
              ))}
            </div>
            {errors.lead && (
              <p class="kern-error">
                <span class="kern-body">{errors.lead}</span>
              </p>
            )}
          </fieldset>
        )}
        <Button>Speichern</Button>
      </form>
      {props.team && props.own && (
        <form method="post" action={`${action}/standard`} class="form-stack">
          <CsrfField token={props.ctx.csrfToken} />
          <h2 class="kern-heading-medium">Zurück zum Standard</h2>
          <p class="kern-body">Das Team arbeitet dann wieder nach den Standard-Öffnungszeiten; die Teamleitung bleibt.</p>
          <Button variant="secondary">Standard-Öffnungszeiten verwenden</Button>
        </form>
      )}
    </Layout>
  );
}
