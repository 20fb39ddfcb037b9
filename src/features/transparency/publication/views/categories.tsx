import { BackLink } from '../../../../ui/back-link.tsx';
import { Alert, Button, Checkbox, CsrfField, ErrorSummary, type FieldErrors, SelectField, TextField } from '../../../../ui/forms.tsx';
import { Layout, type PageContext } from '../../../../ui/layout.tsx';
import type { CategorySettingsRow } from '../category-settings.ts';

const policyOptions = [
  { value: 'auto', label: 'automatisch' },
  { value: 'moderated', label: 'erst nach Freigabe' },
  { value: 'never', label: 'nie' },
];

/** The categories under their group, in the order they come. */
function groupsOf(rows: CategorySettingsRow[]): [string, CategorySettingsRow[]][] {
  const groups = new Map<string, CategorySettingsRow[]>();
  for (const r of rows) groups.set(r.groupName, [...(groups.get(r.groupName) ?? []), r]);
  return [...groups];
}

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
        jedem Fall geschwärzt; Hausnummern nur, wo es angekreuzt ist (private Adressen, z. B. bei Lärm). Schon entschiedene Anliegen
        behalten ihre Entscheidung.
      </p>
      <p class="kern-body">
        „Ist es wirklich behoben?“: so viele Tage nach „erledigt“ fragen wir die meldende Person, ob es wirklich behoben ist. Leer lassen:
        nie nachfragen.
      </p>
      {groupsOf(rows).map(([group, members]) => (
        <section key={group} aria-labelledby={`group-${members[0]?.id}`}>
          <h2 class="kern-heading-medium" id={`group-${members[0]?.id}`}>
            {group}
          </h2>
          {members.map((c) => {
            const mine = form?.categoryId === c.id ? form : undefined;
            const value = (field: string, fallback: string) => mine?.values[field] ?? fallback;
            const id = (field: string) => `cat-${c.id}-${field}`;
            return (
              <form key={c.id} method="post" action={`/admin/kategorien/${c.id}`} class="category-row" aria-labelledby={id('title')}>
                <h3 class="kern-heading-small category-row__name" id={id('title')}>
                  {c.name}
                  {c.active ? '' : <span class="kern-body kern-body--small"> (nicht mehr wählbar)</span>}
                </h3>
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
                  label="Wartezeit (Minuten)"
                  value={value('publishDelayMinutes', String(c.publishDelayMinutes))}
                  error={mine?.errors.publishDelayMinutes}
                />
                <TextField
                  id={id('fixCheckDays')}
                  name="fixCheckDays"
                  type="number"
                  label="„Wirklich behoben?“ nach Tagen"
                  value={value('fixCheckDays', c.fixCheckDays === null ? '' : String(c.fixCheckDays))}
                  error={mine?.errors.fixCheckDays}
                />
                <Checkbox
                  id={id('maskHouseNumbers')}
                  name="maskHouseNumbers"
                  label="Hausnummern schwärzen"
                  checked={mine ? mine.values.maskHouseNumbers === 'yes' : c.maskHouseNumbers}
                  error={mine?.errors.maskHouseNumbers}
                />
                <Button variant="secondary">
                  Speichern<span class="visually-hidden">: {c.name}</span>
                </Button>
              </form>
            );
          })}
        </section>
      ))}
    </Layout>
  );
}
