import type { CaseStatus, CaseType, Priority } from '../../../../infra/schema/index.ts';
import { Button, CsrfField } from '../../../../ui/forms.tsx';
import { caseTypeLabels } from '../../../cases/labels.ts';
import type { CaseSuggestions, SuggestedValue } from '../suggestions.ts';

/** What the edit form needs to keep every field but the suggested one as it is. */
export interface EditableCase {
  number: string;
  version: number;
  status: CaseStatus;
  type: CaseType | null;
  categoryId: number | null;
  teamId: number | null;
  priority: Priority;
}

const percent = (v: number) => `${Math.round(v * 100)} %`;
/** A suggestion the model gives less than half a percent is no suggestion: a button "Sicherheit 0 %" only confuses. */
const worthShowing = (s: { confidence: number }) => Math.round(s.confidence * 100) >= 1;

/**
 * One-click suggestions of the classifier on the staff case page. Each button is a tiny copy of
 * the "Bearbeiten" form with one field changed, so it goes through the same validation, audit
 * trail and optimistic-concurrency check (version) as a change made by hand, and works without JS.
 */
export function SuggestionBox({ k, csrf, suggestions }: { k: EditableCase; csrf: string | undefined; suggestions: CaseSuggestions }) {
  const fields = {
    status: k.status,
    type: k.type ?? '',
    categoryId: k.categoryId === null ? '' : String(k.categoryId),
    teamId: k.teamId === null ? '' : String(k.teamId),
    priority: k.priority,
  };
  const rows: { field: 'categoryId' | 'teamId' | 'type'; title: string; items: SuggestedValue<number | CaseType>[]; current: string }[] = [
    { field: 'categoryId', title: 'Kategorie', items: suggestions.categories.filter(worthShowing), current: fields.categoryId },
    { field: 'teamId', title: 'Team', items: suggestions.teams.filter(worthShowing), current: fields.teamId },
    {
      field: 'type',
      title: 'Art',
      items: suggestions.types.filter(worthShowing).map((t) => ({ ...t, name: caseTypeLabels[t.value as CaseType] ?? t.name })),
      current: fields.type,
    },
  ];
  return (
    <section aria-labelledby="suggestions-title" class="suggestions">
      <h2 id="suggestions-title" class="kern-heading-medium">
        Vorschläge
      </h2>
      <p class="kern-body kern-body--small">
        Gelernt aus den abgeschlossenen Anliegen. „Sicherheit“ ist die geschätzte Wahrscheinlichkeit, dass der Vorschlag stimmt.
      </p>
      {rows
        .filter((r) => r.items.length > 0)
        .map((r) => (
          <div key={r.field}>
            <h3 class="kern-heading-small">{r.title}</h3>
            <ul class="suggestion-list">
              {r.items.map((s) => {
                const value = String(s.value);
                const label = `${s.name} (Sicherheit ${percent(s.confidence)})`;
                if (value === r.current)
                  return (
                    <li key={value}>
                      <p class="kern-body">{label} – ist schon eingetragen</p>
                    </li>
                  );
                return (
                  <li key={value}>
                    <form method="post" action={`/staff/faelle/${k.number}/bearbeiten`}>
                      <CsrfField token={csrf} />
                      <input type="hidden" name="version" value={String(k.version)} />
                      {Object.entries({ ...fields, [r.field]: value }).map(([name, v]) => (
                        <input key={name} type="hidden" name={name} value={v} />
                      ))}
                      <Button variant="secondary">{`${r.title} übernehmen: ${label}`}</Button>
                    </form>
                  </li>
                );
              })}
            </ul>
          </div>
        ))}
    </section>
  );
}
