import type { plainLanguageTerms } from '../../../infra/schema/index.ts';
import { Button, CsrfField, ErrorSummary, type FieldErrors, TextField } from '../../../ui/forms.tsx';
import { Layout, type PageContext } from '../../../ui/layout.tsx';
import { SHIPPED_TERMS } from './plain-language-list.ts';

const labels = { term: 'Begriff', suggestion: 'Einfacher gesagt' };

export function TermsPage(p: {
  ctx: PageContext;
  terms: (typeof plainLanguageTerms.$inferSelect)[];
  values: Record<string, string>;
  errors: FieldErrors;
}) {
  return (
    <Layout ctx={p.ctx} title="Behördendeutsch">
      <h1 class="kern-heading-large">Behördendeutsch</h1>
      <p class="kern-body">
        Die Schreibhilfe kennt {SHIPPED_TERMS.length} Begriffe und schlägt einfachere Wörter vor. Hier ergänzen Sie eigene; ein eigener
        Eintrag ersetzt den mitgelieferten Vorschlag. Ein „*“ am Ende passt auf jede Endung.
      </p>
      <ErrorSummary errors={p.errors} labels={labels} />
      <form method="post" action="/redaktion/schreibhilfe/begriffe" class="form-stack" novalidate>
        <CsrfField token={p.ctx.csrfToken} />
        <TextField name="term" label={labels.term} value={p.values.term} error={p.errors.term} maxLength={100} />
        <TextField name="suggestion" label={labels.suggestion} value={p.values.suggestion} error={p.errors.suggestion} maxLength={200} />
        <Button>Hinzufügen</Button>
      </form>
      <h2 class="kern-heading-medium">Eigene Begriffe ({p.terms.length})</h2>
      <ul class="kern-list">
        {p.terms.map((t) => (
          <li>
            „{t.term}“ → {t.suggestion}{' '}
            <form method="post" action={`/redaktion/schreibhilfe/begriffe/${t.id}/loeschen`} class="inline-form">
              <CsrfField token={p.ctx.csrfToken} />
              <button type="submit" class="kern-btn kern-btn--tertiary">
                <span class="kern-label">Löschen</span>
              </button>
            </form>
          </li>
        ))}
      </ul>
      <details>
        <summary class="kern-body">Mitgelieferte Begriffe</summary>
        <ul class="kern-list">
          {SHIPPED_TERMS.map((t) => (
            <li>
              „{t.term}“ → {t.suggestion}
            </li>
          ))}
        </ul>
      </details>
    </Layout>
  );
}
