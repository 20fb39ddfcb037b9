import { postKinds } from '../../../../infra/schema/index.ts';
import { Button, Checkbox, CsrfField, ErrorSummary, type FieldErrors, SelectField, TextArea, TextField } from '../../../../ui/forms.tsx';
import { renderMarkdown } from '../markdown.ts';
import { ALT_MAX, BODY_MAX, kindLabels, TITLE_MAX } from '../schemas.ts';
import { textLength } from '../shorten.ts';
import type { TargetOption } from '../targets.ts';

/** What the form shows: every field as the string the browser sent or the post holds. */
export type EditorValues = Record<string, string>;

export interface EditorImage {
  id: number;
  alt: string;
}

export const fieldLabels: Record<string, string> = {
  kind: 'Art',
  title: 'Titel',
  body: 'Text',
  tags: 'Schlagwörter',
  locationText: 'Ort',
  eventStartsAt: 'Beginn',
  eventEndsAt: 'Ende',
  eventPlace: 'Veranstaltungsort',
  councilDocumentName: 'Vorlage',
  councilDocumentUrl: 'Adresse der Vorlage',
  portraitPerson: 'Porträtierte Person',
  photoAlt: 'Alternativtext',
  scheduledAt: 'Zeitpunkt',
};

/** The Markdown preview as the website will show it; the island replaces its content while typing. */
export function MarkdownPreview({ body }: { body: string }) {
  return (
    <div id="desk-preview" class="desk-preview" aria-live="polite">
      {/* sanitised by renderMarkdown: an allow-list without scripts, styles or attributes but href */}
      <div dangerouslySetInnerHTML={{ __html: renderMarkdown(body) || '<p>(noch kein Text)</p>' }} />
    </div>
  );
}

/** One target's variant, its counter and a preview styled like the network. */
export function TargetPreview({ option, text }: { option: TargetOption; text: string }) {
  const n = textLength(text, option.limit.countsGraphemes);
  const over = option.limit.max !== null && n > option.limit.max;
  return (
    <>
      <p class={`kern-body kern-body--small target-count${over ? ' target-count--over' : ''}`} data-count-for={option.key}>
        {option.limit.max === null
          ? `${n.toLocaleString('de-DE')} Zeichen, ohne Grenze`
          : `${n.toLocaleString('de-DE')} von ${option.limit.max.toLocaleString('de-DE')} ${option.limit.countsGraphemes ? 'Zeichen (Grapheme)' : 'Zeichen'}`}
      </p>
      <div class={`target-preview target-preview--${option.target}`} data-preview-for={option.key}>
        <div class="target-preview__head">So erscheint es auf {option.label}</div>
        <span data-preview-text>{text || '(leer)'}</span>
      </div>
    </>
  );
}

function Targets({ options, values, errors }: { options: TargetOption[]; values: EditorValues; errors: FieldErrors }) {
  return (
    <fieldset class="kern-fieldset">
      <legend class="kern-label">Wo erscheint der Beitrag?</legend>
      {options.map((o) => {
        const text = values[`text_${o.key}`] ?? '';
        return (
          <div
            class="form-stack"
            key={o.key}
            data-target={o.key}
            data-max={o.limit.max ?? ''}
            data-graphemes={o.limit.countsGraphemes ? 'yes' : ''}
          >
            {o.target === 'website' ? (
              <p class="kern-body">
                <strong>Website</strong> – immer dabei.
              </p>
            ) : (
              <Checkbox name={`target_${o.key}`} label={o.label} checked={values[`target_${o.key}`] === 'yes'} />
            )}
            <TextArea
              name={`text_${o.key}`}
              label={`Text für ${o.label}`}
              hint={o.limit.max === null ? 'Leer: der Text oben.' : 'Eigene Fassung in der Länge, die das Netzwerk erlaubt.'}
              value={text}
              error={errors[`text_${o.key}`]}
              rows={o.limit.max === null ? 3 : 4}
            />
            {o.limit.max !== null && (
              <button
                type="submit"
                class="kern-btn kern-btn--tertiary kern-btn--x-small"
                name="action"
                value={`shorten:${o.key}`}
                data-shorten={o.key}
              >
                <span class="kern-label">kürzen</span>
              </button>
            )}
            <TargetPreview option={o} text={text} />
          </div>
        );
      })}
    </fieldset>
  );
}

/** The editor of a post (new or a draft), usable on a phone: one column, the camera straight from the form. */
export function PostEditor(props: {
  csrfToken: string | undefined;
  action: string;
  values: EditorValues;
  errors: FieldErrors;
  options: TargetOption[];
  images: EditorImage[];
  hasConsent: boolean;
  published?: boolean;
}) {
  const { values: v, errors: e } = props;
  const kind = v.kind || 'news';
  return (
    <form id="post-form" method="post" action={props.action} enctype="multipart/form-data" class="form-stack" noValidate>
      <CsrfField token={props.csrfToken} />
      <input type="hidden" name="version" value={v.version ?? ''} />
      <ErrorSummary errors={e} labels={fieldLabels} />
      {!props.published && (
        <SelectField
          name="kind"
          label="Art"
          value={kind}
          error={e.kind}
          options={postKinds.map((k) => ({ value: k, label: kindLabels[k] }))}
        />
      )}
      <TextField name="title" label="Titel" value={v.title} error={e.title} maxLength={TITLE_MAX} required />
      <div class="desk-columns">
        <TextArea
          name="body"
          label="Text (Markdown)"
          hint="**fett**, *kursiv*, [Link](https://…), Listen mit „- “."
          value={v.body}
          error={e.body}
          rows={10}
          maxLength={BODY_MAX}
        />
        <div>
          <h2 class="kern-heading-small">Vorschau</h2>
          <MarkdownPreview body={v.body ?? ''} />
          <Button variant="tertiary" name="action" value="preview">
            Vorschau aktualisieren
          </Button>
        </div>
      </div>
      <TextField
        name="tags"
        label="Schlagwörter"
        optional
        hint="Mit Komma getrennt, z. B. Baustelle, Innenstadt"
        value={v.tags}
        error={e.tags}
      />
      <TextField name="locationText" label="Ort" optional value={v.locationText} error={e.locationText} />
      {!props.published && (
        <>
          <details open={kind === 'event'}>
            <summary class="kern-body">Termin/Veranstaltung</summary>
            <div class="form-stack">
              <DateTimeField name="eventStartsAt" label="Beginn" value={v.eventStartsAt} error={e.eventStartsAt} />
              <DateTimeField name="eventEndsAt" label="Ende" value={v.eventEndsAt} error={e.eventEndsAt} optional />
              <TextField name="eventPlace" label="Veranstaltungsort" optional value={v.eventPlace} error={e.eventPlace} />
            </div>
          </details>
          <details open={kind === 'council'}>
            <summary class="kern-body">Vorlage erklärt: die Ratsvorlage</summary>
            <div class="form-stack">
              <TextField name="councilDocumentName" label="Name der Vorlage" value={v.councilDocumentName} error={e.councilDocumentName} />
              <TextField
                name="councilDocumentUrl"
                label="Adresse der Vorlage"
                type="url"
                value={v.councilDocumentUrl}
                error={e.councilDocumentUrl}
              />
            </div>
          </details>
          <details open={kind === 'portrait'}>
            <summary class="kern-body">Mitarbeiterporträt: Einwilligung</summary>
            <div class="form-stack">
              {props.hasConsent ? (
                <p class="kern-body">Die Einwilligung von {v.portraitPerson} ist erfasst.</p>
              ) : (
                <>
                  <TextField name="portraitPerson" label="Porträtierte Person" value={v.portraitPerson} error={e.portraitPerson} />
                  <Checkbox
                    name="portraitConsent"
                    label="Die Person hat eingewilligt, dass wir sie vorstellen (schriftlich oder per E-Mail)."
                    checked={v.portraitConsent === 'yes'}
                  />
                </>
              )}
            </div>
          </details>
          <PhotoFields images={props.images} values={v} errors={e} />
        </>
      )}
      <Targets options={props.options} values={v} errors={e} />
      <Button name="action" value="save">
        {props.published ? 'Änderungen veröffentlichen' : 'Entwurf speichern'}
      </Button>
    </form>
  );
}

function DateTimeField(props: { name: string; label: string; value: string | undefined; error: string | undefined; optional?: boolean }) {
  return (
    <div class={`kern-form-input${props.error ? ' kern-form-input--error' : ''}`}>
      <label class="kern-label" for={props.name}>
        {props.label}
        {props.optional && <span class="kern-label__optional"> – optional</span>}
      </label>
      <input
        class="kern-form-input__input"
        type="datetime-local"
        id={props.name}
        name={props.name}
        value={props.value ?? ''}
        aria-invalid={props.error ? 'true' : undefined}
      />
      {props.error && (
        <p class="kern-error" id={`${props.name}-error`} role="alert">
          <span class="kern-body">{props.error}</span>
        </p>
      )}
    </div>
  );
}

function PhotoFields({ images, values, errors }: { images: EditorImage[]; values: EditorValues; errors: FieldErrors }) {
  return (
    <fieldset class="kern-fieldset">
      <legend class="kern-label">Fotos</legend>
      {images.map((img) => (
        <div class="form-stack" key={img.id}>
          <img class="desk-photo" src={`/redaktion/bilder/${img.id}`} alt={values[`alt_${img.id}`] ?? img.alt} width={240} />
          <TextField
            name={`alt_${img.id}`}
            label="Alternativtext"
            value={values[`alt_${img.id}`] ?? img.alt}
            error={errors[`alt_${img.id}`]}
            maxLength={ALT_MAX}
          />
          <Checkbox name={`remove_${img.id}`} label="Dieses Foto entfernen" />
        </div>
      ))}
      <div class={`kern-form-input${errors.photos ? ' kern-form-input--error' : ''}`}>
        <label class="kern-label" for="photos">
          Foto hinzufügen<span class="kern-label__optional"> – optional</span>
        </label>
        <div class="kern-hint" id="photos-hint">
          Direkt mit der Kamera oder aus der Galerie. Kameradaten und Standort entfernen wir beim Speichern.
        </div>
        <input
          class="kern-form-input__input file-input"
          type="file"
          id="photos"
          name="photos"
          accept="image/*"
          capture="environment"
          aria-describedby="photos-hint"
        />
        {errors.photos && (
          <p class="kern-error" role="alert">
            <span class="kern-body">{errors.photos}</span>
          </p>
        )}
      </div>
      <TextField
        name="photoAlt"
        label="Alternativtext zum neuen Foto"
        hint="Was ist zu sehen? Pflicht für jedes Foto."
        value={values.photoAlt}
        error={errors.photoAlt}
        maxLength={ALT_MAX}
      />
    </fieldset>
  );
}
