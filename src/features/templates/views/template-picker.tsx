import type { TemplateChoice } from '../case-templates.ts';

/**
 * Choosing a Textbaustein on the case page. Without JavaScript this is a GET form: the page comes
 * back with the text in the reply box. The island (template-picker.ts) fills the box at once
 * from the rendered texts carried in data attributes, and appends when something is typed already.
 */
export function TemplatePicker({ number, choices, error }: { number: string; choices: TemplateChoice[]; error?: string | undefined }) {
  if (choices.length === 0) {
    return (
      <p class="kern-body kern-body--small">
        Noch keine Textbausteine für dieses Team.{' '}
        <a class="kern-link" href="/staff/textbausteine">
          Textbausteine anlegen
        </a>
      </p>
    );
  }
  const groups = [...new Set(choices.map((c) => c.group))];
  const describedBy = ['reply-template-hint', error ? 'reply-template-error' : null].filter(Boolean).join(' ');
  return (
    <form method="get" action={`/staff/faelle/${number}#reply-body`} class="template-picker" data-template-picker="reply-body">
      <div class={`kern-form-input${error ? ' kern-form-input--error' : ''}`}>
        <label class="kern-label" for="reply-template">
          Textbaustein
        </label>
        <div class="kern-hint" id="reply-template-hint">
          Füllt das Antwortfeld mit dem Text, Platzhalter sind schon ersetzt. Sie können ihn danach anpassen.
        </div>
        <div class="kern-form-input__select-wrapper">
          <select
            class={`kern-form-input__select${error ? ' kern-form-input__select--error' : ''}`}
            id="reply-template"
            name="vorlage"
            aria-describedby={describedBy}
            aria-invalid={error ? 'true' : undefined}
          >
            <option value="">bitte wählen</option>
            {groups.map((g) => (
              <optgroup label={g} key={g}>
                {choices
                  .filter((c) => c.group === g)
                  .map((c) => (
                    <option value={String(c.id)} data-text={c.text} key={c.id}>
                      {c.title}
                    </option>
                  ))}
              </optgroup>
            ))}
          </select>
        </div>
        {error && (
          <p class="kern-error" id="reply-template-error" role="alert">
            <span class="kern-icon kern-icon--danger kern-icon--small" aria-hidden="true" />
            <span class="kern-body">{error}</span>
          </p>
        )}
      </div>
      <button type="submit" class="kern-btn kern-btn--tertiary" data-template-submit>
        <span class="kern-label">Einfügen</span>
      </button>
    </form>
  );
}
