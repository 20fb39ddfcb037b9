import { BackLink } from '../../../../ui/back-link.tsx';
import { Alert, Button, Checkbox, CsrfField, ErrorSummary, type FieldErrors, SelectField, TextField } from '../../../../ui/forms.tsx';
import { Layout, type PageContext } from '../../../../ui/layout.tsx';
import type { CategorySettingsRow } from '../category-settings.ts';

const policyOptions = [
  { value: 'auto', label: 'automatisch nach der Wartezeit' },
  { value: 'moderated', label: 'erst nach Freigabe' },
  { value: 'never', label: 'nie' },
];

export interface CategoryFormState {
  categoryId: number;
  values: Record<string, string>;
  errors: FieldErrors;
}

/** /admin/kategorien: per category, when its reports become public, and whether house numbers are masked. */
export function CategoriesPage({
  ctx,
  rows,
  form,
  saved,
}: {
  ctx: PageContext;
  rows: CategorySettingsRow[];
  form?: CategoryFormState | undefined;
  saved?: boolean;
}) {
  const errorIds = form ? Object.fromEntries(Object.entries(form.errors).map(([f, m]) => [`cat-${form.categoryId}-${f}`, m])) : {};
  return (
    <Layout ctx={ctx} title="Kategorien">
      <BackLink href="/admin">Verwaltung</BackLink>
      <h1 class="kern-heading-large">Kategorien: was öffentlich wird</h1>
      {saved && <Alert kind="success" title="Die Einstellungen der Kategorie sind gespeichert." />}
      <ErrorSummary errors={errorIds} />
      <p class="kern-body">
        „Automatisch“: Meldungen erscheinen nach der Wartezeit auf den öffentlichen Seiten, wenn niemand sie vorher anhält. „Erst nach
        Freigabe“: jemand muss „Veröffentlichen“ drücken. „Nie“: zum Beispiel Beschwerden über Personen. Personenbezogene Daten werden in
        jedem Fall geschwärzt. Schon entschiedene Anliegen behalten ihre Entscheidung.
      </p>
      {rows.map((c) => {
        const mine = form?.categoryId === c.id ? form : undefined;
        const value = (field: string, fallback: string) => mine?.values[field] ?? fallback;
        const id = (field: string) => `cat-${c.id}-${field}`;
        return (
          <section key={c.id} aria-labelledby={id('title')}>
            <h2 class="kern-heading-small" id={id('title')}>
              {c.name}{' '}
              <span class="kern-body kern-body--small">
                ({c.groupName}
                {c.active ? '' : ', nicht mehr wählbar'})
              </span>
            </h2>
            <form method="post" action={`/admin/kategorien/${c.id}`} class="form-stack">
              <CsrfField token={ctx.csrfToken} />
              <SelectField
                id={id('publication')}
                name="publication"
                label="Veröffentlichen"
                value={value('publication', c.publication)}
                error={mine?.errors.publication}
                options={policyOptions}
              />
              <TextField
                id={id('publishDelayMinutes')}
                name="publishDelayMinutes"
                type="number"
                label="Wartezeit in Minuten (bei „automatisch“)"
                value={value('publishDelayMinutes', String(c.publishDelayMinutes))}
                error={mine?.errors.publishDelayMinutes}
              />
              <Checkbox
                id={id('maskHouseNumbers')}
                name="maskHouseNumbers"
                label="Hausnummern schwärzen"
                checked={mine ? mine.values.maskHouseNumbers === 'yes' : c.maskHouseNumbers}
                error={mine?.errors.maskHouseNumbers}
              >
                Hausnummern schwärzen (private Adressen, z. B. bei Lärm)
              </Checkbox>
              <TextField
                id={id('fixCheckDays')}
                name="fixCheckDays"
                type="number"
                label="Nachfragen „Ist es wirklich behoben?“ nach so vielen Tagen"
                hint="Einige Tage nach „erledigt“ fragen wir die meldende Person, ob es wirklich behoben ist. Leer lassen: nie nachfragen."
                value={value('fixCheckDays', c.fixCheckDays === null ? '' : String(c.fixCheckDays))}
                error={mine?.errors.fixCheckDays}
              />
              <Button variant="secondary">
                Speichern<span class="visually-hidden">: {c.name}</span>
              </Button>
            </form>
          </section>
        );
      })}
    </Layout>
  );
}
