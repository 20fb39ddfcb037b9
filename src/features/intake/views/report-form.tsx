import type { Config } from '../../../config.ts';
import {
  Button,
  Checkbox,
  CsrfField,
  ErrorSummary,
  type FieldErrors,
  FileField,
  type Option,
  RadioGroup,
  SelectField,
  TextArea,
  TextField,
} from '../../../ui/forms.tsx';
import { Layout, type PageContext } from '../../../ui/layout.tsx';
import { MapPickerField } from '../../../ui/map-picker-field.tsx';
import type { ReportFormValues } from '../form.ts';
import { LIMITS } from '../inbound.ts';
import { ACCEPTED_PHOTO_TYPES } from '../photos.ts';

export const PHOTO_ACCEPT = ACCEPTED_PHOTO_TYPES.join(',');

const typeOptions: Option[] = [
  { value: 'defect', label: 'Störung – etwas ist kaputt, verschmutzt oder gefährlich' },
  { value: 'idea', label: 'Idee – ein Vorschlag, wie es besser ginge' },
  { value: 'complaint', label: 'Beschwerde – etwas läuft nicht, wie es soll' },
  { value: 'question', label: 'Frage – Sie möchten etwas wissen' },
  { value: 'praise', label: 'Lob – etwas ist richtig gut gelaufen' },
  { value: 'unknown', label: 'Weiß nicht – wir ordnen es für Sie ein' },
];

export interface ReportFormProps {
  ctx: PageContext;
  values: ReportFormValues;
  errors?: FieldErrors;
  categories: { id: number; name: string; groupName: string }[];
  map: Config['map'];
  maxPhotoBytes: number;
  /** The citizen had chosen photos; browsers cannot refill a file field, so we say so. */
  photosDropped?: boolean;
}

export function ReportFormPage({ ctx, values, errors = {}, categories, map, maxPhotoBytes, photosDropped }: ReportFormProps) {
  const maxMb = (maxPhotoBytes / (1024 * 1024)).toLocaleString('de-DE', { maximumFractionDigits: 1 });
  const hasErrors = Object.values(errors).some(Boolean);
  return (
    <Layout
      ctx={ctx}
      title={hasErrors ? 'Fehler: Anliegen melden' : 'Anliegen melden'}
      head={<link rel="stylesheet" href="/assets/leaflet/leaflet.css" />}
      scripts={['/assets/js/map-picker.js', '/assets/js/photo-preview.js']}
    >
      <h1 class="kern-heading-x-large">Anliegen melden</h1>
      <ErrorSummary errors={errors} />
      <p class="kern-body kern-body--large">
        Schlagloch, dunkle Laterne, eine Idee oder einfach ein Lob: Schreiben Sie es uns. Wer bei der Stadt {ctx.townName} zuständig ist,
        finden wir selbst heraus.
      </p>
      <form id="form" method="post" action="/melden" enctype="multipart/form-data" class="form-stack" noValidate>
        <CsrfField token={ctx.csrfToken} />
        <input type="hidden" name="nonce" value={values.nonce} />

        <TextArea
          name="description"
          label="Beschreibung"
          hint="Worum geht es? Was ist los, seit wann, und was wäre Ihnen wichtig? Ein paar Sätze genügen."
          value={values.description}
          error={errors.description}
          maxLength={LIMITS.description}
          required
          rows={7}
        />

        <RadioGroup
          name="type"
          label="Was für ein Anliegen ist es?"
          hint="Wenn Sie unsicher sind, wählen Sie „Weiß nicht“."
          options={typeOptions}
          value={values.type}
          error={errors.type}
        />

        {categories.length > 0 && (
          <SelectField
            name="categoryId"
            label="Kategorie"
            optional
            hint="Hilft uns, es schneller an die richtige Stelle zu geben."
            emptyLabel="Keine Angabe"
            options={categories.map((c) => ({ value: String(c.id), label: c.name, group: c.groupName }))}
            value={values.categoryId}
            error={errors.categoryId}
          />
        )}

        <TextField
          name="locationText"
          label="Ort oder Adresse"
          optional
          hint="Straße und Hausnummer oder eine Beschreibung, z. B. „Spielplatz am Stadtgarten, neben der Rutsche“."
          value={values.locationText}
          error={errors.locationText}
          maxLength={LIMITS.location}
          autocomplete="street-address"
        />
        <MapPickerField lat={values.lat} lon={values.lon} error={errors.pin} map={map} />

        <FileField
          name="photos"
          label="Fotos"
          optional
          hint={`Bis zu ${LIMITS.photos} Fotos (JPEG, PNG, WebP oder HEIC), je höchstens ${maxMb} MB. Den Standort im Foto nutzen wir nur, wenn Sie keinen Punkt auf der Karte setzen; Kameradaten entfernen wir vor dem Speichern.${
            photosDropped ? ' Bitte wählen Sie Ihre Fotos noch einmal aus – der Browser behält sie nach einem Fehler nicht.' : ''
          }`}
          accept={PHOTO_ACCEPT}
          multiple
          error={errors.photos}
        />
        <div id="photo-preview" data-max-bytes={String(maxPhotoBytes)} data-max-files={String(LIMITS.photos)} aria-live="polite" />

        <h2 class="kern-heading-medium">Wie erreichen wir Sie?</h2>
        <p class="kern-body">
          Freiwillig. Mit E-Mail-Adresse bekommen Sie eine Bestätigung und unsere Antwort per Mail. Ohne sie lesen Sie alles über Ihren
          persönlichen Link, den Sie gleich erhalten.
        </p>
        <TextField
          name="reporterName"
          label="Name"
          optional
          value={values.reporterName}
          error={errors.reporterName}
          maxLength={LIMITS.name}
          autocomplete="name"
        />
        <TextField
          name="reporterEmail"
          label="E-Mail-Adresse"
          optional
          type="email"
          value={values.reporterEmail}
          error={errors.reporterEmail}
          maxLength={LIMITS.email}
          autocomplete="email"
        />

        <Checkbox name="consent" label="Einwilligung" checked={values.consent} error={errors.consent}>
          Ich bin einverstanden, dass die Stadt {ctx.townName} meine Angaben zur Bearbeitung dieses Anliegens speichert und verarbeitet.
          Details stehen in der{' '}
          <a class="kern-link" href="/datenschutz" target="_blank" rel="noopener">
            Datenschutzerklärung (öffnet in neuem Fenster)
          </a>
          .
        </Checkbox>

        <Button>Anliegen absenden</Button>
      </form>
    </Layout>
  );
}
