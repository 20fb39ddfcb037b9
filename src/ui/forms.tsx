import type { ComponentChildren } from 'preact';

/**
 * Form building blocks in KERN UX markup. Every field links its hint and error to the input with
 * aria-describedby, and an ErrorSummary at the top lists all errors with links to the fields
 * (the pattern GOV.UK and KERN use), so screen-reader users learn what went wrong first.
 */
export type FieldErrors = Record<string, string | undefined>;

function describedBy(id: string, hint?: string, error?: string): string | undefined {
  const ids = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

interface FieldBase {
  name: string;
  label: string;
  hint?: string;
  error?: string | undefined;
  optional?: boolean;
  id?: string;
  /** Alt+this letter focuses the field (islands/form-shortcuts.ts); the page lists its shortcuts. */
  shortcut?: string;
}

function FieldShell({ id, label, hint, error, optional, children }: FieldBase & { id: string; children: ComponentChildren }) {
  return (
    <div class={`kern-form-input${error ? ' kern-form-input--error' : ''}`}>
      <label class="kern-label" for={id}>
        {label}
        {optional && <span class="kern-label__optional"> – optional</span>}
      </label>
      {hint && (
        <div class="kern-hint" id={`${id}-hint`}>
          {hint}
        </div>
      )}
      {children}
      {error && (
        <p class="kern-error" id={`${id}-error`} role="alert">
          <span class="kern-icon kern-icon--danger kern-icon--small" aria-hidden="true" />
          <span class="kern-body">{error}</span>
        </p>
      )}
    </div>
  );
}

export function TextField(
  props: FieldBase & {
    value?: string | undefined;
    type?: 'text' | 'email' | 'password' | 'search' | 'tel' | 'url' | 'number' | 'date';
    autocomplete?: string;
    maxLength?: number;
    required?: boolean;
  },
) {
  const id = props.id ?? props.name;
  return (
    <FieldShell {...props} id={id}>
      <input
        class={`kern-form-input__input${props.error ? ' kern-form-input__input--error' : ''}`}
        id={id}
        name={props.name}
        type={(props.type ?? 'text') as 'text'}
        value={props.value ?? ''}
        autocomplete={props.autocomplete}
        maxLength={props.maxLength}
        required={props.required}
        data-shortcut={props.shortcut}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={describedBy(id, props.hint, props.error)}
      />
    </FieldShell>
  );
}

export function TextArea(
  props: FieldBase & { value?: string | undefined; rows?: number; maxLength?: number; required?: boolean; autoFocus?: boolean },
) {
  const id = props.id ?? props.name;
  return (
    <FieldShell {...props} id={id}>
      <textarea
        class={`kern-form-input__input textarea${props.error ? ' kern-form-input__input--error' : ''}`}
        id={id}
        name={props.name}
        rows={props.rows ?? 6}
        maxLength={props.maxLength}
        required={props.required}
        // biome-ignore lint/a11y/noAutofocus: only where a form exists to be typed into at once (taking down a call)
        autoFocus={props.autoFocus}
        data-shortcut={props.shortcut}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={describedBy(id, props.hint, props.error)}
      >
        {props.value ?? ''}
      </textarea>
    </FieldShell>
  );
}

/** A file upload; the form needs enctype="multipart/form-data". Browsers never refill it after an error. */
export function FileField(props: FieldBase & { accept?: string; multiple?: boolean }) {
  const id = props.id ?? props.name;
  return (
    <FieldShell {...props} id={id}>
      <input
        class={`kern-form-input__input file-input${props.error ? ' kern-form-input__input--error' : ''}`}
        id={id}
        name={props.name}
        type="file"
        accept={props.accept}
        multiple={props.multiple}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={describedBy(id, props.hint, props.error)}
      />
    </FieldShell>
  );
}

export interface Option {
  value: string;
  label: string;
  group?: string;
}

export function SelectField(props: FieldBase & { value?: string | undefined; options: Option[]; emptyLabel?: string }) {
  const id = props.id ?? props.name;
  const groups = [...new Set(props.options.map((o) => o.group ?? ''))];
  const renderOption = (o: Option) => (
    <option value={o.value} selected={o.value === props.value} key={o.value}>
      {o.label}
    </option>
  );
  return (
    <FieldShell {...props} id={id}>
      <div class="kern-form-input__select-wrapper">
        <select
          class={`kern-form-input__select${props.error ? ' kern-form-input__select--error' : ''}`}
          id={id}
          name={props.name}
          data-shortcut={props.shortcut}
          aria-invalid={props.error ? 'true' : undefined}
          aria-describedby={describedBy(id, props.hint, props.error)}
        >
          {props.emptyLabel !== undefined && <option value="">{props.emptyLabel}</option>}
          {groups.map((g) =>
            g ? (
              <optgroup label={g} key={g}>
                {props.options.filter((o) => o.group === g).map(renderOption)}
              </optgroup>
            ) : (
              props.options.filter((o) => !o.group).map(renderOption)
            ),
          )}
        </select>
      </div>
    </FieldShell>
  );
}

/** Radios or checkboxes under one legend; the first input carries the group's id for error links. */
function ChoiceGroup(props: FieldBase & { options: Option[]; kind: 'radio' | 'checkbox'; isChecked: (value: string) => boolean }) {
  const id = props.id ?? props.name;
  const inputId = (o: Option, i: number) => (i === 0 ? id : `${id}-${o.value}`);
  // The shortcut sits on the chosen option: pressing it focuses the group without changing the choice.
  const keyIndex = Math.max(
    0,
    props.options.findIndex((o) => props.isChecked(o.value)),
  );
  return (
    <fieldset
      class={`kern-fieldset${props.error ? ' kern-fieldset--error' : ''}`}
      aria-describedby={describedBy(id, props.hint, props.error)}
    >
      <legend class="kern-label">{props.label}</legend>
      {props.hint && (
        <div class="kern-hint" id={`${id}-hint`}>
          {props.hint}
        </div>
      )}
      <div class="kern-fieldset__body">
        {props.options.map((o, i) => (
          <div class="kern-form-check" key={o.value}>
            <input
              class={props.kind === 'radio' ? 'kern-form-check__radio' : 'kern-form-check__checkbox'}
              type={props.kind}
              id={inputId(o, i)}
              name={props.name}
              value={o.value}
              checked={props.isChecked(o.value)}
              data-shortcut={i === keyIndex ? props.shortcut : undefined}
            />
            <label class="kern-label" for={inputId(o, i)}>
              {o.label}
            </label>
          </div>
        ))}
      </div>
      {props.error && (
        <p class="kern-error" id={`${id}-error`}>
          <span class="kern-body">{props.error}</span>
        </p>
      )}
    </fieldset>
  );
}

export function RadioGroup({ value, ...props }: FieldBase & { value?: string | undefined; options: Option[] }) {
  return <ChoiceGroup {...props} kind="radio" isChecked={(v) => v === value} />;
}

/** Several checkboxes under one legend; each checked value is sent under the same name. */
export function CheckboxGroup({ values, ...props }: FieldBase & { values: string[]; options: Option[] }) {
  return <ChoiceGroup {...props} kind="checkbox" isChecked={(v) => values.includes(v)} />;
}

export function Checkbox(props: FieldBase & { checked?: boolean; children?: ComponentChildren }) {
  const id = props.id ?? props.name;
  return (
    <div class={`kern-form-check${props.error ? ' kern-form-check--error' : ''}`}>
      <input
        class={`kern-form-check__checkbox${props.error ? ' kern-form-check__checkbox--error' : ''}`}
        type="checkbox"
        id={id}
        name={props.name}
        value="yes"
        checked={props.checked}
        data-shortcut={props.shortcut}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={describedBy(id, undefined, props.error)}
      />
      <label class="kern-label" for={id}>
        {props.children ?? props.label}
      </label>
      {props.error && (
        <p class="kern-error" id={`${id}-error`}>
          <span class="kern-body">{props.error}</span>
        </p>
      )}
    </div>
  );
}

/** Lists every field error at the top with a link to the field; focused on load by tabindex. */
export function ErrorSummary({ errors, labels }: { errors: FieldErrors; labels?: Record<string, string> }) {
  const entries = Object.entries(errors).filter(([, m]) => m);
  if (entries.length === 0) return null;
  return (
    <div class="kern-alert kern-alert--danger error-summary" role="alert" tabIndex={-1} aria-labelledby="error-summary-title">
      <div class="kern-alert__header">
        <span class="kern-icon kern-icon--danger" aria-hidden="true" />
        <h2 class="kern-title" id="error-summary-title">
          Bitte prüfen Sie Ihre Angaben
        </h2>
      </div>
      <div class="kern-alert__body">
        <ul class="kern-list">
          {entries.map(([field, message]) => (
            <li key={field}>
              <a class="kern-link" href={`#${field}`}>
                {labels?.[field] ? `${labels[field]}: ` : ''}
                {message}
              </a>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}

export function Alert({
  kind,
  title,
  children,
}: {
  kind: 'info' | 'success' | 'warning' | 'danger';
  title: string;
  children?: ComponentChildren;
}) {
  return (
    <div class={`kern-alert kern-alert--${kind}`} role={kind === 'danger' ? 'alert' : 'status'}>
      <div class="kern-alert__header">
        <span class={`kern-icon kern-icon--${kind}`} aria-hidden="true" />
        <span class="kern-title">{title}</span>
      </div>
      {children && <div class="kern-alert__body">{children}</div>}
    </div>
  );
}

export function Button({
  children,
  variant = 'primary',
  name,
  value,
  shortcut,
}: {
  children: ComponentChildren;
  variant?: 'primary' | 'secondary' | 'tertiary';
  name?: string;
  value?: string;
  /** Alt+this letter presses the button (islands/form-shortcuts.ts). */
  shortcut?: string;
}) {
  return (
    <button type="submit" class={`kern-btn kern-btn--${variant}`} name={name} value={value} data-shortcut={shortcut}>
      <span class="kern-label">{children}</span>
    </button>
  );
}

export function CsrfField({ token }: { token: string | undefined }) {
  return <input type="hidden" name="_csrf" value={token ?? ''} />;
}
