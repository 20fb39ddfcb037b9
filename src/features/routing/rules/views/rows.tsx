import { caseTypes, channels, priorities } from '../../../../infra/schema/index.ts';
import { Button, CheckboxGroup, type FieldErrors, type Option, SelectField, TextArea, TextField } from '../../../../ui/forms.tsx';
import { caseTypeLabels, channelLabels, priorityLabels } from '../../../cases/labels.ts';
import { type ActionKind, type ConditionKind, leafKinds, type Row } from '../form.ts';
import type { Directory } from '../queries.ts';
import { LIMITS } from '../schema.ts';

export const conditionKindLabels: Record<ConditionKind, string> = {
  channel: 'Kanal',
  type: 'Art des Anliegens',
  category: 'Kategorie',
  words: 'Wörter im Text',
  regex: 'Regulärer Ausdruck im Text',
  district: 'Stadtteil',
  distance: 'Umkreis um einen Punkt',
  time: 'Wochentag und Uhrzeit',
  sender: 'Absender (E-Mail-Adresse oder Domain)',
  language: 'Sprache',
  confidence: 'Sicherheit des Klassifikators',
  nested: 'Gruppe: alle oder eine von mehreren Bedingungen',
  group: 'Bedingungen als JSON (für Fortgeschrittene)',
};

export const actionKindLabels: Record<ActionKind, string> = {
  setTeam: 'An ein Team weiterleiten',
  setType: 'Art setzen',
  setCategory: 'Kategorie setzen',
  setPriority: 'Priorität setzen',
  addTags: 'Schlagwörter hinzufügen',
  assign: 'Einer Person zuweisen',
  sla: 'Frist-Richtlinie anwenden',
  acknowledge: 'Eigene Eingangsbestätigung senden',
  notifyTeam: 'Ein Team per E-Mail benachrichtigen',
};

const opts = <T extends string>(values: readonly T[], labels: Record<T, string>): Option[] =>
  values.map((v) => ({ value: v, label: labels[v] }));
const weekdayOptions = ['Montag', 'Dienstag', 'Mittwoch', 'Donnerstag', 'Freitag', 'Samstag', 'Sonntag'].map((label, i) => ({
  value: String(i + 1),
  label,
}));

function RowShell(props: { id: string; legend: string; error?: string | undefined; children: preact.ComponentChildren; removeOp: string }) {
  return (
    <fieldset class={`kern-fieldset rule-row${props.error ? ' kern-fieldset--error' : ''}`} id={props.id} tabIndex={-1}>
      <legend class="kern-title">{props.legend}</legend>
      {props.error && (
        <p class="kern-error" id={`${props.id}-error`}>
          <span class="kern-icon kern-icon--danger kern-icon--small" aria-hidden="true" />
          <span class="kern-body">{props.error}</span>
        </p>
      )}
      <div class="kern-fieldset__body form-stack">{props.children}</div>
      <Button variant="tertiary" name="op" value={props.removeOp}>
        {props.legend} entfernen
      </Button>
    </fieldset>
  );
}

/**
 * One condition of the form. `prefix` names its fields ("c-2", or "c-2-0" inside a group row) and
 * `number` is what people read ("2", "2.1"); `errors` holds the messages of the whole form, keyed
 * by prefix, so a group row finds those of its own conditions.
 */
export function ConditionRow({
  row,
  prefix: p,
  number,
  dir,
  errors,
}: {
  row: Row<ConditionKind>;
  prefix: string;
  number: string;
  dir: Directory;
  errors: FieldErrors;
}) {
  const t = row.text;
  const list = (label: string, options: Option[], hint?: string) => (
    <CheckboxGroup name={`${p}-list`} id={`${p}-list`} label={label} options={options} values={row.list} {...(hint ? { hint } : {})} />
  );
  const text = (key: string, label: string, hint?: string, maxLength = 500) => (
    <TextField name={`${p}-${key}`} id={`${p}-${key}`} label={label} value={t[key]} maxLength={maxLength} {...(hint ? { hint } : {})} />
  );
  let body: preact.ComponentChildren;
  switch (row.kind) {
    case 'channel':
      body = list('Eingegangen über', opts(channels, channelLabels));
      break;
    case 'type':
      body = list('Art ist', opts(caseTypes, caseTypeLabels));
      break;
    case 'category':
      body = list(
        'Kategorie ist',
        dir.categories.map((c) => ({ value: c.slug, label: `${c.group}: ${c.name}` })),
      );
      break;
    case 'district':
      body = list(
        'Ort liegt im Stadtteil',
        dir.districts.map((d) => ({ value: String(d.id), label: d.name })),
      );
      break;
    case 'language':
      body = list('Sprache der Meldung', [
        { value: 'de', label: 'Deutsch' },
        { value: 'en', label: 'Englisch' },
      ]);
      break;
    case 'words':
      body = (
        <>
          {text('text', 'Wörter', 'Durch Komma getrennt. Groß/klein und ä/ae sind egal; „schlagloch“ findet auch „Schlaglöcher“.')}
          <SelectField
            name={`${p}-match`}
            id={`${p}-match`}
            label="Es genügt"
            value={t.match ?? 'any'}
            options={[
              { value: 'any', label: 'eines der Wörter' },
              { value: 'all', label: 'erst alle Wörter zusammen' },
            ]}
          />
        </>
      );
      break;
    case 'regex':
      body = text(
        'text',
        'Ausdruck',
        `Groß/klein egal, höchstens ${LIMITS.pattern} Zeichen, Schreibweise von RE2 (Unicode-Zeichen als \\x{00e4}). Rückverweise wie \\1, Vorausschau und Rückschau gibt es dort nicht; dafür bleibt die Prüfung immer schnell.`,
        LIMITS.pattern,
      );
      break;
    case 'distance':
      body = (
        <>
          {text('lat', 'Breitengrad', 'Zum Beispiel 47,66312')}
          {text('lon', 'Längengrad', 'Zum Beispiel 9,17535')}
          {text('meters', 'Umkreis in Metern')}
        </>
      );
      break;
    case 'time':
      body = (
        <>
          <CheckboxGroup
            name={`${p}-list`}
            id={`${p}-list`}
            label="Wochentage"
            hint="Keiner gewählt: an jedem Tag. Es gilt die Zeit in Deutschland."
            options={weekdayOptions}
            values={row.list}
          />
          {text('from', 'Von (Uhrzeit)', 'Zum Beispiel 16:00. Leer: ab Mitternacht.', 5)}
          {text('to', 'Bis (Uhrzeit)', 'Zum Beispiel 07:30. Leer: bis Mitternacht. „Von 18:00 bis 07:00“ geht über Nacht.', 5)}
        </>
      );
      break;
    case 'sender':
      body = text(
        'text',
        'Adressen oder Domains',
        'Durch Komma getrennt, z. B. stoerung@stadtwerke.de, polizei.de (mit Subdomains).',
        2000,
      );
      break;
    case 'confidence':
      body = (
        <>
          <SelectField
            name={`${p}-target`}
            id={`${p}-target`}
            label="Vorschlag für"
            value={t.target}
            options={[
              { value: 'team', label: 'das Team' },
              { value: 'category', label: 'die Kategorie' },
              { value: 'type', label: 'die Art' },
            ]}
          />
          {text(
            'label',
            'Nur wenn der Vorschlag lautet',
            'Optional: Kurzname des Teams oder der Kategorie, oder die Art (defect, idea …).',
            80,
          )}
          <SelectField
            name={`${p}-op`}
            id={`${p}-op`}
            label="Sicherheit"
            value={t.op}
            options={[
              { value: 'gte', label: 'mindestens' },
              { value: 'lt', label: 'unter' },
            ]}
          />
          {text('value', 'Schwelle', 'Zwischen 0 und 1 oder in Prozent, z. B. 0,9 oder 90 %.', 10)}
        </>
      );
      break;
    case 'nested':
      body = (
        <>
          <SelectField
            name={`${p}-match`}
            id={`${p}-match`}
            label="In dieser Gruppe muss zutreffen"
            value={t.match ?? 'any'}
            options={[
              { value: 'any', label: 'mindestens eine Bedingung' },
              { value: 'all', label: 'jede Bedingung' },
            ]}
          />
          {(row.children ?? []).map((child, j) => (
            <ConditionRow row={child} prefix={`${p}-${j}`} number={`${number}.${j + 1}`} dir={dir} errors={errors} key={`${p}-${j}`} />
          ))}
          <SelectField
            name={`${p}-newCondition`}
            id={`${p}-newCondition`}
            label="Bedingung für diese Gruppe"
            options={leafKinds.map((k) => ({ value: k, label: conditionKindLabels[k] }))}
          />
          <Button variant="secondary" name="op" value={`add-${p}`}>
            Zur Gruppe hinzufügen
          </Button>
        </>
      );
      break;
    case 'group':
      body = (
        <TextArea
          name={`${p}-text`}
          id={`${p}-text`}
          label="Gruppe als JSON"
          hint='Zum Beispiel {"kind":"any","conditions":[{"kind":"channel","in":["email"]},{"kind":"words","match":"any","words":["Laterne"]}]}'
          rows={8}
          maxLength={5000}
          value={t.text}
        />
      );
      break;
  }
  return (
    <RowShell id={p} legend={`Bedingung ${number}: ${conditionKindLabels[row.kind]}`} error={errors[p]} removeOp={`remove-${p}`}>
      <input type="hidden" name={`${p}-kind`} value={row.kind} />
      {body}
    </RowShell>
  );
}

export function ActionRow({ row, index, dir, error }: { row: Row<ActionKind>; index: number; dir: Directory; error?: string | undefined }) {
  const p = `a-${index}`;
  const select = (label: string, options: Option[]) => (
    <SelectField name={`${p}-value`} id={`${p}-value`} label={label} value={row.text.value} options={options} emptyLabel="Bitte wählen" />
  );
  const teams = dir.teams.map((t) => ({ value: t.slug, label: t.name }));
  let body: preact.ComponentChildren;
  switch (row.kind) {
    case 'setTeam':
      body = select('Team', teams);
      break;
    case 'notifyTeam':
      body = select('Team, das eine E-Mail bekommt', teams);
      break;
    case 'setType':
      body = select('Art', opts(caseTypes, caseTypeLabels));
      break;
    case 'setCategory':
      body = select(
        'Kategorie',
        dir.categories.map((c) => ({ value: c.slug, label: c.name, group: c.group })),
      );
      break;
    case 'setPriority':
      body = select('Priorität', opts(priorities, priorityLabels));
      break;
    case 'assign':
      body = select(
        'Person',
        dir.users.map((u) => ({ value: u.email.toLowerCase(), label: `${u.name} (${u.email})` })),
      );
      break;
    case 'sla':
      body = select(
        'Frist-Richtlinie',
        dir.policies.map((policy) => ({ value: String(policy.id), label: policy.name })),
      );
      break;
    case 'addTags':
      body = (
        <TextField
          name={`${p}-text`}
          id={`${p}-text`}
          label="Schlagwörter"
          hint="Durch Komma getrennt, z. B. Schulweg, Winterdienst."
          value={row.text.text}
          maxLength={500}
        />
      );
      break;
    case 'acknowledge':
      body = (
        <>
          {dir.templates.length > 0 && (
            <>
              <SelectField
                name={`${p}-pick`}
                id={`${p}-pick`}
                label="Textbaustein als Vorlage (optional)"
                hint="Übernimmt den Text des Bausteins in das Feld darunter; dort können Sie ihn anpassen."
                value={row.text.pick}
                options={dir.templates.map((t) => ({ value: String(t.id), label: t.title, group: t.teamName ?? 'Für alle Teams' }))}
                emptyLabel="Bitte wählen"
              />
              <Button variant="secondary" name="op" value={`template-${p}`}>
                Textbaustein übernehmen
              </Button>
            </>
          )}
          <TextArea
            name={`${p}-text`}
            id={`${p}-text`}
            label="Text der Bestätigung"
            hint="Ersetzt die Standard-Bestätigung. Platzhalter: {{name}}, {{vorgang}}, {{kategorie}}, {{team}}, {{frist}} (Erledigungsfrist, ohne Frist „bald“). Anrede, Link zum Stand und Gruß ergänzt das System."
            rows={6}
            maxLength={LIMITS.template}
            value={row.text.text}
          />
        </>
      );
      break;
  }
  return (
    <RowShell id={p} legend={`Aktion ${index + 1}: ${actionKindLabels[row.kind]}`} error={error} removeOp={`remove-${p}`}>
      <input type="hidden" name={`${p}-kind`} value={row.kind} />
      {body}
    </RowShell>
  );
}
