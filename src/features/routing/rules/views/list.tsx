import { BackLink } from '../../../../ui/back-link.tsx';
import { Alert, Button, CsrfField, ErrorSummary, type FieldErrors, FileField, TextArea } from '../../../../ui/forms.tsx';
import { Layout, type PageContext } from '../../../../ui/layout.tsx';
import { describeAction, describeCondition, type Names } from '../describe.ts';
import type { StoredRule } from '../queries.ts';

export const ruleNotices = {
  gespeichert: 'Die Regel ist gespeichert.',
  geloescht: 'Die Regel ist gelöscht.',
  importiert: 'Die Regeln sind importiert.',
  an: 'Die Regel ist eingeschaltet.',
  aus: 'Die Regel ist ausgeschaltet.',
} as const;
export type RuleNotice = keyof typeof ruleNotices;

const triggerText = (r: StoredRule) =>
  [r.triggers.includes('created') ? 'neue Anliegen' : null, r.triggers.includes('updated') ? 'Änderungen' : null]
    .filter(Boolean)
    .join(' und ');

function SmallPost({
  action,
  csrf,
  label,
  name,
  value,
}: {
  action: string;
  csrf: string | undefined;
  label: string;
  name?: string;
  value?: string;
}) {
  return (
    <form method="post" action={action} class="inline-form">
      <CsrfField token={csrf} />
      <Button variant="tertiary" {...(name ? { name } : {})} {...(value ? { value } : {})}>
        {label}
      </Button>
    </form>
  );
}

export function RulesListPage(props: {
  ctx: PageContext;
  rules: StoredRule[];
  names: Names;
  notice?: RuleNotice | undefined;
  importErrors?: FieldErrors;
  importText?: string;
}) {
  const { ctx, rules, names, importErrors = {} } = props;
  const csrf = ctx.csrfToken;
  return (
    <Layout ctx={ctx} title="Regeln">
      <BackLink href="/admin">Verwaltung</BackLink>
      <h1 class="kern-heading-large">Regeln für die Weiterleitung</h1>
      <p class="kern-body kern-body--large">
        Damit jedes Anliegen gleich beim richtigen Team landet – und niemand fragen muss: „Bin ich überhaupt zuständig?“ Die Regeln laufen
        von oben nach unten; greift keine, entscheidet die Kategorie oder die Art.
      </p>
      {props.notice && <Alert kind="success" title={ruleNotices[props.notice]} />}
      <p class="kern-body">
        <a class="kern-link" href="/admin/regeln/neu">
          Neue Regel anlegen
        </a>
      </p>
      {rules.length === 0 ? (
        <p class="kern-body">Noch keine Regeln. Alle Anliegen gehen nach Kategorie oder Art an ihr Team.</p>
      ) : (
        <div class="kern-table-responsive">
          <table class="kern-table kern-table--striped">
            <caption class="kern-title">Alle Regeln in der Reihenfolge, in der sie geprüft werden ({rules.length})</caption>
            <thead class="kern-table__header">
              <tr class="kern-table__row">
                <th scope="col">Nr.</th>
                <th scope="col">Regel</th>
                <th scope="col">Wenn … dann</th>
                <th scope="col">Status</th>
                <th scope="col">Reihenfolge und Schalter</th>
              </tr>
            </thead>
            <tbody class="kern-table__body">
              {rules.map((r, i) => (
                <tr class="kern-table__row" key={r.id}>
                  <td class="kern-table__cell">{i + 1}</td>
                  <th scope="row" class="kern-table__cell">
                    <a class="kern-link" href={`/admin/regeln/${r.id}`}>
                      {r.name}
                    </a>
                  </th>
                  <td class="kern-table__cell">
                    {r.valid ? (
                      <>
                        Wenn {describeCondition(r.conditions, names)} → {r.actions.map((a) => describeAction(a, names)).join(', ')}
                        {r.stopProcessing ? '; danach Schluss' : ''}
                        <br />
                        <span class="kern-hint">bei {triggerText(r)}</span>
                      </>
                    ) : (
                      `Fehlerhaft gespeichert (${r.problem}) – wird übersprungen, bitte bearbeiten und neu speichern`
                    )}
                  </td>
                  <td class="kern-table__cell">{r.enabled ? 'an' : 'aus'}</td>
                  <td class="kern-table__cell">
                    {i > 0 && (
                      <SmallPost
                        action={`/admin/regeln/${r.id}/verschieben`}
                        csrf={csrf}
                        label={`„${r.name}“ nach oben`}
                        name="richtung"
                        value="hoch"
                      />
                    )}
                    {i < rules.length - 1 && (
                      <SmallPost
                        action={`/admin/regeln/${r.id}/verschieben`}
                        csrf={csrf}
                        label={`„${r.name}“ nach unten`}
                        name="richtung"
                        value="runter"
                      />
                    )}
                    <SmallPost
                      action={`/admin/regeln/${r.id}/schalten`}
                      csrf={csrf}
                      label={r.enabled ? `„${r.name}“ ausschalten` : `„${r.name}“ einschalten`}
                      name="enabled"
                      value={r.enabled ? 'no' : 'yes'}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <h2 class="kern-heading-medium">Exportieren und importieren</h2>
      <p class="kern-body">
        <a class="kern-link" href="/admin/regeln/export" download="regeln.json">
          Alle Regeln als JSON-Datei herunterladen
        </a>
      </p>
      <ErrorSummary errors={importErrors} labels={{ file: 'Import' }} />
      <form method="post" action="/admin/regeln/import" enctype="multipart/form-data" class="form-stack" novalidate>
        <CsrfField token={csrf} />
        <p class="kern-body">
          Ein Import ersetzt alle Regeln durch die der Datei. Ist etwas an der Datei falsch, bleibt alles, wie es ist.
        </p>
        <FileField name="file" id="file" label="Regel-Datei (JSON)" accept="application/json,.json" error={importErrors.file} />
        <TextArea
          name="json"
          id="json"
          label="… oder den Inhalt hier einfügen"
          optional
          rows={6}
          maxLength={512 * 1024}
          value={props.importText}
        />
        <Button variant="secondary">Regeln importieren</Button>
      </form>
    </Layout>
  );
}
