import { Alert, CsrfField, SelectField, TextField } from '../../../ui/forms.tsx';
import { TAG_MAX } from '../inbox-filters.ts';
import { LiveNotice } from '../live/notice.tsx';
import { ClaimNextForm } from './queue.tsx';

/** Scripts of the inbox: live notices and keyboard shortcuts. The page works without both. */
export const inboxScripts = ['/assets/js/live-updates.js', '/assets/js/inbox-keys.js'];

const shortcuts: [string, string][] = [
  ['j', 'nächstes Anliegen in der Liste'],
  ['k', 'vorheriges Anliegen in der Liste'],
  ['Enter', 'markiertes Anliegen öffnen'],
  ['x', 'markiertes Anliegen auswählen oder abwählen'],
  ['a', 'markiertes Anliegen mir zuweisen'],
  ['/', 'zur Suche springen'],
  ['?', 'diese Hilfe öffnen'],
];

/** The top of the inbox: queue, claiming, live notices and the shortcut help. */
export function InboxTeamwork({ csrf, ok }: { csrf: string | undefined; ok: string | undefined }) {
  return (
    <>
      {ok === 'sammelaktion' && <Alert kind="success" title="Erledigt: Alle ausgewählten Anliegen sind geändert." />}
      <LiveNotice />
      <div class="filters teamwork-bar">
        <ClaimNextForm csrf={csrf} />
        <a class="kern-link" href="/staff/warteschlange">
          Meine Warteschlange
        </a>
        <a class="kern-link" href="/staff/textbausteine">
          Textbausteine
        </a>
        {/* Shortcuts need JavaScript, so their help appears only with it (the island unhides it). */}
        <button type="button" class="kern-btn kern-btn--tertiary" data-shortcut-help hidden>
          <span class="kern-label">Tastenkürzel (?)</span>
        </button>
      </div>
      <dialog id="shortcut-help" class="shortcut-help" aria-labelledby="shortcut-help-title">
        <h2 id="shortcut-help-title" class="kern-heading-small">
          Tastenkürzel im Posteingang
        </h2>
        <p class="kern-body kern-body--small">Sie wirken nicht, während Sie in ein Feld schreiben.</p>
        <dl class="kern-description-list">
          {shortcuts.map(([key, meaning]) => (
            <div class="kern-description-list-item" key={key}>
              <dt class="kern-description-list-item__key">
                <kbd>{key}</kbd>
              </dt>
              <dd class="kern-description-list-item__value">{meaning}</dd>
            </div>
          ))}
        </dl>
        <form method="dialog">
          <button type="submit" class="kern-btn kern-btn--secondary">
            <span class="kern-label">Schließen</span>
          </button>
        </form>
      </dialog>
    </>
  );
}

/**
 * The bulk action bar. Its form stands apart from the table; the row checkboxes join it with the
 * `form` attribute, so no form has to wrap the table (and it works without JavaScript).
 */
export function BulkForm({ csrf, assignees }: { csrf: string | undefined; assignees: { id: number; displayName: string }[] }) {
  return (
    <form id="bulk-form" method="post" action="/staff/sammelaktion" class="bulk-form" aria-labelledby="bulk-title">
      <h3 id="bulk-title" class="kern-heading-small">
        Mit der Auswahl
      </h3>
      <CsrfField token={csrf} />
      <div class="filters">
        <SelectField
          id="bulk-aktion"
          name="aktion"
          label="Aktion"
          options={[
            { value: 'zuweisen', label: 'zuweisen an …' },
            { value: 'erledigen', label: 'als erledigt schließen' },
            { value: 'markieren', label: 'Schlagwort vergeben' },
          ]}
        />
        <SelectField
          id="bulk-assignee"
          name="assignee"
          label="Zuweisen an"
          options={[
            { value: 'ich', label: 'mich' },
            { value: 'niemand', label: 'niemand (Zuweisung aufheben)' },
            ...assignees.map((u) => ({ value: String(u.id), label: u.displayName })),
          ]}
        />
        <TextField id="bulk-tag" name="tag" label="Schlagwort" hint="nur für „Schlagwort vergeben“" maxLength={TAG_MAX} />
      </div>
      <button type="submit" class="kern-btn kern-btn--secondary">
        <span class="kern-label">Auf ausgewählte Anliegen anwenden</span>
      </button>
    </form>
  );
}

export function SelectCell({ id, version, number }: { id: number; version: number; number: string }) {
  return (
    <td class="kern-table__cell">
      <div class="kern-form-check">
        <input
          class="kern-form-check__checkbox"
          type="checkbox"
          id={`waehle-${id}`}
          name="faelle"
          value={`${id}:${version}`}
          form="bulk-form"
        />
        <label class="kern-label" for={`waehle-${id}`}>
          <span class="kern-sr-only">{number} auswählen</span>
        </label>
      </div>
    </td>
  );
}
