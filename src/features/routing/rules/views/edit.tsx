import { BackLink } from '../../../../ui/back-link.tsx';
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
} from '../../../../ui/forms.tsx';
import { Layout, type PageContext } from '../../../../ui/layout.tsx';
import { conflictText, DRY_RUN_CASES, type DryRunResult } from '../dry-run.ts';
import { RULES_BUDGET_MS } from '../engine.ts';
import { actionKinds, conditionKinds, type RuleForm } from '../form.ts';
import type { Directory } from '../queries.ts';
import { LIMITS } from '../schema.ts';
import { ActionRow, actionKindLabels, ConditionRow, conditionKindLabels } from './rows.tsx';

const fieldLabels: Record<string, string> = {
  name: 'Name',
  triggers: 'Wann',
  conditions: 'Bedingungen',
  actions: 'Aktionen',
  form: 'Regel',
};
const labelFor = (key: string) =>
  fieldLabels[key] ?? (key.startsWith('c-') ? `Bedingung ${Number(key.slice(2)) + 1}` : `Aktion ${Number(key.slice(2)) + 1}`);

const byFieldLabels: Record<string, string> = {
  team: 'Team',
  type: 'Art',
  category: 'Kategorie',
  priority: 'Priorität',
  assignee: 'Zuständige Person',
  tags: 'Schlagwörter',
};

export function RuleEditPage(props: {
  ctx: PageContext;
  ruleId: number | null;
  form: RuleForm;
  dir: Directory;
  errors?: FieldErrors;
  dryRun?: DryRunResult | null;
  saved?: boolean;
}) {
  const { ctx, ruleId, form, dir, errors = {} } = props;
  const title = ruleId === null ? 'Neue Regel' : `Regel: ${form.name || 'ohne Namen'}`;
  const action = ruleId === null ? '/admin/regeln/neu' : `/admin/regeln/${ruleId}`;
  const summaryLabels = Object.fromEntries(Object.keys(errors).map((k) => [k, labelFor(k)]));
  return (
    <Layout ctx={ctx} title={title}>
      <BackLink href="/admin/regeln">Regeln</BackLink>
      <h1 class="kern-heading-large">{title}</h1>
      {props.saved && <Alert kind="success" title="Die Regel ist gespeichert." />}
      <ErrorSummary errors={errors} labels={summaryLabels} />
      {props.dryRun && <DryRunReport result={props.dryRun} />}
      <form method="post" action={action} class="form-stack" novalidate>
        <CsrfField token={ctx.csrfToken} />
        {/* Enter in a text field presses the form's first button: that must save, not remove a row. */}
        <button type="submit" name="op" value="save" class="visually-hidden" tabIndex={-1}>
          Speichern
        </button>
        <TextField
          name="name"
          label="Name der Regel"
          hint="Steht im Verlauf jedes Anliegens, das sie weiterleitet – z. B. „Schlaglöcher“."
          maxLength={LIMITS.name}
          value={form.name}
          error={errors.name}
          required
        />
        <fieldset class={`kern-fieldset${errors.triggers ? ' kern-fieldset--error' : ''}`} id="triggers" tabIndex={-1}>
          <legend class="kern-label">Wann die Regel greift</legend>
          <div class="kern-fieldset__body">
            <Checkbox name="onCreated" label="bei neuen Anliegen" checked={form.onCreated} />
            <Checkbox name="onUpdated" label="wenn jemand Art, Kategorie oder Team eines Anliegens ändert" checked={form.onUpdated} />
          </div>
          {errors.triggers && (
            <p class="kern-error" id="triggers-error">
              <span class="kern-body">{errors.triggers}</span>
            </p>
          )}
        </fieldset>
        <Checkbox name="enabled" label="Regel ist eingeschaltet" checked={form.enabled} />

        <h2 class="kern-heading-medium" id="conditions" tabIndex={-1}>
          Wenn …
        </h2>
        <RadioGroup
          name="match"
          label="Welche Bedingungen müssen zutreffen?"
          hint="Ohne Bedingung trifft die Regel auf jedes Anliegen zu."
          value={form.match}
          options={[
            { value: 'all', label: 'alle' },
            { value: 'any', label: 'mindestens eine' },
          ]}
        />
        {form.conditions.map((row, i) => (
          <ConditionRow row={row} prefix={`c-${i}`} number={String(i + 1)} dir={dir} errors={errors} key={`c-${i}`} />
        ))}
        <div class="form-stack">
          <SelectField
            name="newCondition"
            id="newCondition"
            label="Weitere Bedingung"
            options={conditionKinds.map((k) => ({ value: k, label: conditionKindLabels[k] }))}
          />
          <Button variant="secondary" name="op" value="addCondition">
            Bedingung hinzufügen
          </Button>
        </div>

        <h2 class="kern-heading-medium" id="actions" tabIndex={-1}>
          … dann
        </h2>
        {errors.actions && <Alert kind="danger" title={errors.actions} />}
        {form.actions.map((row, i) => (
          <ActionRow row={row} index={i} dir={dir} error={errors[`a-${i}`]} key={`a-${i}`} />
        ))}
        <div class="form-stack">
          <SelectField
            name="newAction"
            id="newAction"
            label="Weitere Aktion"
            options={actionKinds.map((k) => ({ value: k, label: actionKindLabels[k] }))}
          />
          <Button variant="secondary" name="op" value="addAction">
            Aktion hinzufügen
          </Button>
        </div>
        <Checkbox name="overridable" label="Weiter auswerten" checked={form.overridable}>
          Weiter auswerten: Was diese Regel festlegt (Team, Kategorie, Art, Priorität, Person, Frist, Bestätigung), darf eine spätere
          passende Regel noch ändern. Ohne Haken bleibt es so.
        </Checkbox>
        <Checkbox name="stop" label="Danach keine weiteren Regeln prüfen" checked={form.stop} />

        <h2 class="kern-heading-medium">Prüfen und speichern</h2>
        <p class="kern-body">
          Der Probelauf zeigt, was die Regel mit den letzten {DRY_RUN_CASES.toLocaleString('de-DE')} Anliegen gemacht hätte. Er ändert
          nichts.
        </p>
        <div>
          <Button variant="secondary" name="op" value="dryrun">
            Probelauf
          </Button>{' '}
          <Button name="op" value="save">
            Regel speichern
          </Button>
        </div>
      </form>
      {ruleId !== null && (
        <>
          <h2 class="kern-heading-medium">Regel löschen</h2>
          <form method="post" action={`/admin/regeln/${ruleId}/loeschen`} class="form-stack">
            <CsrfField token={ctx.csrfToken} />
            <p class="kern-body">Anliegen, die diese Regel schon weitergeleitet hat, bleiben, wie sie sind.</p>
            <Button variant="secondary">Regel löschen</Button>
          </form>
        </>
      )}
    </Layout>
  );
}

function DryRunReport({ result }: { result: DryRunResult }) {
  const fields = Object.entries(result.byField);
  return (
    <section aria-labelledby="probelauf" class="form-stack">
      <h2 class="kern-heading-medium" id="probelauf">
        Probelauf
      </h2>
      <p class="kern-body" role="status">
        Von den letzten {result.checked.toLocaleString('de-DE')} Anliegen hätte die Regel auf{' '}
        <strong>{result.matched.toLocaleString('de-DE')}</strong> zugetroffen; bei {result.changed.toLocaleString('de-DE')} hätte sie etwas
        geändert.
        {result.aborted > 0 &&
          ` Bei ${result.aborted.toLocaleString('de-DE')} Anliegen wurde die Prüfung nach ${RULES_BUDGET_MS} ms abgebrochen; dort hätte die Regel nicht gegriffen.`}
      </p>
      {fields.length > 0 && (
        <ul class="kern-list">
          {fields.map(([field, count]) => (
            <li key={field}>
              {byFieldLabels[field] ?? field}: {count}-mal anders
            </li>
          ))}
        </ul>
      )}
      <h3 class="kern-heading-small">Zusammen mit den anderen Regeln</h3>
      {result.conflicts.length === 0 ? (
        <p class="kern-body">Keine andere eingeschaltete Regel legt bei diesen Anliegen dasselbe fest.</p>
      ) : (
        <ul class="kern-list" aria-label="Überschneidungen mit anderen Regeln">
          {result.conflicts.map((c) => (
            <li key={`${c.field}-${c.other.ruleId}-${c.thisWins}`}>
              {conflictText(c)} (bei {c.count.toLocaleString('de-DE')} Anliegen)
            </li>
          ))}
        </ul>
      )}
      {result.sample.length > 0 && (
        <div class="kern-table-responsive">
          <table class="kern-table kern-table--striped">
            <caption class="kern-title">
              Beispiele ({result.sample.length} von {result.matched})
            </caption>
            <thead class="kern-table__header">
              <tr class="kern-table__row">
                <th scope="col">Vorgang</th>
                <th scope="col">Text</th>
                <th scope="col">Änderungen</th>
                <th scope="col">Überschneidungen</th>
              </tr>
            </thead>
            <tbody class="kern-table__body">
              {result.sample.map((row) => (
                <tr class="kern-table__row" key={row.number}>
                  <th scope="row" class="kern-table__cell">
                    <a class="kern-link" href={`/staff/faelle/${row.number}`}>
                      {row.number}
                    </a>
                  </th>
                  <td class="kern-table__cell">{row.excerpt}</td>
                  <td class="kern-table__cell">{[...row.changes, ...row.effects].join('; ') || 'keine (schon so)'}</td>
                  <td class="kern-table__cell">{row.conflicts.join('; ') || 'keine'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
