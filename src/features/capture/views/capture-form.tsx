import type { Config } from '../../../config.ts';
import {
  Alert,
  Button,
  Checkbox,
  CsrfField,
  ErrorSummary,
  type FieldErrors,
  type Option,
  RadioGroup,
  SelectField,
  TextArea,
  TextField,
} from '../../../ui/forms.tsx';
import { Layout, type PageContext } from '../../../ui/layout.tsx';
import { MapPickerField } from '../../../ui/map-picker-field.tsx';
import { caseTypeLabels } from '../../cases/labels.ts';
import { LIMITS } from '../../intake/inbound.ts';
import { CAPTURE_LIMITS, type CaptureFormValues } from '../form.ts';

const channelOptions: Option[] = [
  { value: 'phone', label: 'Telefon' },
  { value: 'walk_in', label: 'Vor Ort' },
  { value: 'letter', label: 'Brief' },
  { value: 'fax', label: 'Fax' },
];

const typeOptions: Option[] = [
  { value: 'unknown', label: 'Noch offen – die Leitstelle ordnet es ein' },
  ...Object.entries(caseTypeLabels).map(([value, label]) => ({ value, label })),
];

/** The shortcuts, listed on the page; always with Alt (WCAG 2.1.4), so typing never triggers one. */
const shortcuts: [key: string, what: string][] = [
  ['S', 'Anliegen speichern'],
  ['T', 'zum Text'],
  ['K', 'Eingangsweg (Telefon, Vor Ort, Brief, Fax)'],
  ['N', 'Name'],
  ['R', 'Rückruf erwünscht'],
  ['O', 'Ort oder Adresse'],
  ['B', 'Antwort per Brief'],
];

export interface CaptureFormProps {
  ctx: PageContext;
  values: CaptureFormValues;
  errors?: FieldErrors;
  categories: { id: number; name: string; groupName: string }[];
  map: Config['map'];
  /** After saving a case the clerk cannot open (another team's): its number and team. */
  saved?: { number: string; teamName: string | null } | null;
}

/**
 * "Anliegen erfassen": a call, a visit or a letter taken down by staff, keyboard first. The text
 * has the focus on load; the channel (Telefon by default) sits before it, so Tab walks on to the
 * caller's details, the location, the category and saving.
 */
export function CaptureFormPage({ ctx, values, errors = {}, categories, map, saved }: CaptureFormProps) {
  const hasErrors = Object.values(errors).some(Boolean);
  return (
    <Layout
      ctx={ctx}
      title={hasErrors ? 'Fehler: Anliegen erfassen' : 'Anliegen erfassen'}
      head={<link rel="stylesheet" href="/assets/leaflet/leaflet.css" />}
      scripts={['/assets/js/map-picker.js', '/assets/js/form-shortcuts.js']}
    >
      <h1 class="kern-heading-x-large">Anliegen erfassen</h1>
      {saved && (
        <Alert kind="success" title={`Anliegen ${saved.number} angelegt`}>
          <p class="kern-body">
            {saved.teamName ? `Es liegt jetzt beim Team ${saved.teamName}.` : 'Die Leitstelle ordnet es zu.'} Das Formular ist frei für den
            nächsten Anruf.
          </p>
        </Alert>
      )}
      <ErrorSummary errors={errors} />
      <details class="capture-keys">
        <summary class="kern-body">Tastenkürzel</summary>
        <p class="kern-body kern-body--small">
          Alt zusammen mit dem Buchstaben; auf dem Mac die Wahltaste. Mit Tab geht es zum nächsten Feld, ohne JavaScript gilt nur Tab.
        </p>
        <ul class="kern-list">
          {shortcuts.map(([key, what]) => (
            <li key={key} class="kern-body kern-body--small">
              <kbd>Alt</kbd>+<kbd>{key}</kbd> {what}
            </li>
          ))}
        </ul>
      </details>

      <form id="form" method="post" action="/erfassen" class="form-stack" noValidate>
        <CsrfField token={ctx.csrfToken} />
        <input type="hidden" name="nonce" value={values.nonce} />

        <RadioGroup
          name="channel"
          label="Eingang per"
          options={channelOptions}
          value={values.channel}
          error={errors.channel}
          shortcut="k"
        />

        <TextArea
          name="description"
          label="Anliegen"
          hint="Was ist los, wo, seit wann? In den Worten der Anruferin oder des Anrufers."
          value={values.description}
          error={errors.description}
          maxLength={LIMITS.description}
          required
          rows={6}
          autoFocus={!hasErrors}
          shortcut="t"
        />

        <h2 class="kern-heading-medium">Wer meldet sich?</h2>
        <TextField
          name="reporterName"
          label="Name"
          optional
          value={values.reporterName}
          error={errors.reporterName}
          maxLength={LIMITS.name}
          autocomplete="off"
          shortcut="n"
        />
        <TextField
          name="reporterPhone"
          label="Telefonnummer"
          optional
          hint="Pflicht, wenn ein Rückruf erwünscht ist."
          type="tel"
          value={values.reporterPhone}
          error={errors.reporterPhone}
          maxLength={CAPTURE_LIMITS.phone}
          autocomplete="off"
        />
        <Checkbox name="callback" label="Rückruf erwünscht" checked={values.callback} error={errors.callback} shortcut="r" />
        <TextField
          name="reporterEmail"
          label="E-Mail-Adresse"
          optional
          hint="Mit Adresse bekommt die Person eine Eingangsbestätigung und die Antwort per Mail."
          type="email"
          value={values.reporterEmail}
          error={errors.reporterEmail}
          maxLength={LIMITS.email}
          autocomplete="off"
        />

        <h2 class="kern-heading-medium">Wo und was?</h2>
        <TextField
          name="locationText"
          label="Ort oder Adresse"
          optional
          hint="Straße und Hausnummer oder eine Beschreibung, z. B. „Spielplatz am Stadtgarten“."
          value={values.locationText}
          error={errors.locationText}
          maxLength={LIMITS.location}
          autocomplete="off"
          shortcut="o"
        />
        <MapPickerField
          lat={values.lat}
          lon={values.lon}
          error={errors.pin}
          map={map}
          locate={false}
          hint="Klicken Sie auf die Stelle. Mit der Tastatur: Karte mit den Pfeiltasten verschieben und „Markierung in die Kartenmitte setzen“ wählen."
        />
        {categories.length > 0 && (
          <SelectField
            name="categoryId"
            label="Kategorie"
            optional
            emptyLabel="Keine Angabe"
            options={categories.map((c) => ({ value: String(c.id), label: c.name, group: c.groupName }))}
            value={values.categoryId}
            error={errors.categoryId}
          />
        )}
        <SelectField name="type" label="Art des Anliegens" options={typeOptions} value={values.type} error={errors.type} />

        <h2 class="kern-heading-medium">Antwort per Brief</h2>
        <Checkbox name="letterReply" label="Antwort per Brief" checked={values.letterReply} error={errors.letterReply} shortcut="b">
          Die Antwort soll per Brief kommen
        </Checkbox>
        <TextField
          name="postalName"
          label="Name für die Anschrift"
          hint="Die Anschrift ist nur mit Haken nötig; ohne Haken wird sie nicht gespeichert."
          value={values.postalName}
          error={errors.postalName}
          maxLength={LIMITS.name}
          autocomplete="off"
        />
        <TextField
          name="postalStreet"
          label="Straße und Hausnummer"
          value={values.postalStreet}
          error={errors.postalStreet}
          maxLength={CAPTURE_LIMITS.street}
          autocomplete="off"
        />
        <TextField
          name="postalCity"
          label="PLZ und Ort"
          hint="z. B. 78462 Musterstadt"
          value={values.postalCity}
          error={errors.postalCity}
          maxLength={CAPTURE_LIMITS.city}
          autocomplete="off"
        />

        <Alert kind="info" title="Datenschutz">
          <p class="kern-body">
            Bitte sagen Sie der Person: Die Stadt {ctx.townName} speichert die Angaben nur, um das Anliegen zu bearbeiten, und löscht sie
            nach Abschluss nach den gesetzlichen Fristen. Name, Telefonnummer und Anschrift sind freiwillig. Mehr steht in der{' '}
            <a class="kern-link" href="/datenschutz" target="_blank" rel="noopener">
              Datenschutzerklärung (öffnet in neuem Fenster)
            </a>
            .
          </p>
        </Alert>

        <Button shortcut="s">Anliegen speichern</Button>
      </form>
    </Layout>
  );
}
