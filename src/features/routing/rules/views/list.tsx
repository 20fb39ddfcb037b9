import { BackLink } from '../../../../ui/back-link.tsx';
import { Alert, Button, CsrfField, ErrorSummary, type FieldErrors, FileField, TextArea } from '../../../../ui/forms.tsx';
import { Layout, type PageContext } from '../../../../ui/layout.tsx';
import { describeAction, describeCondition, type Names } from '../describe.ts';
import { fieldLabels } from '../dry-run.ts';
import type { StoredRule } from '../queries.ts';
import type { Shadow } from '../shadows.ts';

export const ruleNotices = {
  gespeichert: 'Die Regel ist gespeichert.',
  geloescht: 'Die Regel ist gelöscht.',
  importiert: 'Die Regeln sind importiert.',
  an: 'Die Regel ist eingeschaltet.',
  aus: 'Die Regel ist ausgeschaltet.',
} as const;
export type RuleNotice = keyof typeof ruleNotices;

const triggerText = (r: StoredRule) =>
  [r.triggers.includes('created') ? 'bei neuen Anliegen' : null, r.triggers.includes('updated') ? 'bei Änderungen' : null]
    .filter(Boolean)
    .join(' und ');

/** "kann überstimmt werden von Nr. 2 „Lärm“ (Team)"; a rule that stops the run holds everything. */
function ShadowNote({ shadows }: { shadows: Shadow[] | undefined }) {
  if (!shadows || shadows.length === 0) return <span class="kern-hint">wird von keiner früheren Regel überstimmt</span>;
  const parts = shadows.map(
    (s) =>
      `Nr. ${s.number} „${s.ruleName}“ (${s.fields.length === 0 ? 'beendet die Prüfung' : s.fields.map((f) => fieldLabels[f]).join(', ')})`,
  );
  return <span class="kern-hint">kann überstimmt werden von {parts.join('; ')}</span>;
}

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
  /** Per rule id: earlier rules that can overrule it (see shadows.ts). */
  shadows: ReadonlyMap<number, Shadow[]>;
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
        Damit jedes Anliegen gleich beim richtigen Team landet – und niemand fragen muss: „Bin ich überhaupt zuständig?“ Greift keine Regel,
        entscheidet die Kategorie oder die Art.
      </p>
      <p class="kern-body" id="rangfolge">
        <strong>So gilt es:</strong> Die Regeln werden von oben nach unten geprüft, und was die erste passende Regel festlegt (Team,
        Kategorie, Art, Priorität, Person, Frist oder Eingangsbestätigung), ändert keine spätere mehr – außer die frühere Regel hat „Weiter
        auswerten“; Schlagwörter und Benachrichtigungen kommen von jeder passenden Regel dazu.
      </p>
      <p class="kern-body">
        Unter jeder Regel steht, welche früheren Regeln sie überstimmen können: Sie legen dasselbe fest (oder beenden die Prüfung), und ihre
        Bedingungen können auf dasselbe Anliegen zutreffen. Geprüft wird das vorsichtig: Nur wenn beide Regeln verschiedene Kanäle, Arten,
        Kategorien, Stadtteile oder Sprachen verlangen, gilt es als ausgeschlossen.
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
                        <span class="kern-hint">
                          {triggerText(r)}
                          {r.overridable ? ' · weiter auswerten: spätere Regeln dürfen es ändern' : ''}
                        </span>
                        <br />
                        <ShadowNote shadows={props.shadows.get(r.id)} />
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
