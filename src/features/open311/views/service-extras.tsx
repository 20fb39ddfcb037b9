import { BackLink } from '../../../ui/back-link.tsx';
import {
  Alert,
  Button,
  Checkbox,
  CsrfField,
  ErrorSummary,
  type FieldErrors,
  SelectField,
  TextArea,
  TextField,
} from '../../../ui/forms.tsx';
import { Layout, type PageContext } from '../../../ui/layout.tsx';
import { datatypeLabels, datatypes, MAX_ATTRIBUTES } from '../attributes.ts';
import type { ExtrasForm } from '../service-extras.ts';

const datatypeOptions = datatypes.map((d) => ({ value: d, label: datatypeLabels[d] }));

/**
 * /admin/schnittstellen/kategorien/:id: what other apps learn about a category over Open311
 * (services.json keywords, services/{code} questions). One empty row adds a question.
 */
export function ServiceExtrasPage({
  ctx,
  category,
  form,
  errors = {},
  saved = false,
}: {
  ctx: PageContext;
  category: { id: number; name: string; slug: string };
  form: ExtrasForm;
  errors?: FieldErrors;
  saved?: boolean;
}) {
  const rows =
    form.rows.length < MAX_ATTRIBUTES
      ? [...form.rows, { code: '', description: '', datatype: 'string', required: false, values: '', remove: false }]
      : form.rows;
  return (
    <Layout ctx={ctx} title={`Open311: ${category.name}`}>
      <BackLink href="/admin/schnittstellen">Schnittstellen</BackLink>
      <h1 class="kern-heading-large">Open311: {category.name}</h1>
      {saved && <Alert kind="success" title="Gespeichert. Andere Apps sehen die Änderung beim nächsten Abruf von services.json." />}
      <p class="kern-body">
        Andere Apps zeigen die Kategorie unter dem Code <code>{category.slug}</code>. Suchwörter helfen ihnen, sie zu finden; Zusatzfragen
        stellen sie der Bürgerin oder dem Bürger beim Melden, und die Antworten stehen im Anliegen.
      </p>
      <ErrorSummary errors={errors} />
      <form method="post" action={`/admin/schnittstellen/kategorien/${category.id}`} class="form-stack" novalidate>
        <CsrfField token={ctx.csrfToken} />
        <TextField
          name="keywords"
          label="Suchwörter"
          hint="Durch Kommas getrennt, zum Beispiel „Lampe, Laterne, Licht“."
          value={form.keywords}
          error={errors.keywords}
          optional
        />
        {rows.map((r, i) => {
          const isNew = i >= form.rows.length;
          return (
            <fieldset class="kern-fieldset" key={`row-${i}`}>
              <legend class="kern-label">{isNew ? 'Neue Zusatzfrage' : `Zusatzfrage ${i + 1}`}</legend>
              <TextField
                name={`description_${i}`}
                id={`description_${i}`}
                label="Frage"
                hint="Wie die App sie stellt, z. B. „Welche Nummer steht am Mast?“"
                value={r.description}
                error={errors[`description_${i}`]}
                optional={isNew}
              />
              <TextField
                name={`code_${i}`}
                id={`code_${i}`}
                label="Kennung"
                hint="Für die Apps: Kleinbuchstaben, Ziffern und _. Leer lassen: wird aus der Frage gebildet."
                value={r.code}
                error={errors[`code_${i}`]}
                optional
              />
              <SelectField
                name={`datatype_${i}`}
                id={`datatype_${i}`}
                label="Art der Antwort"
                value={r.datatype}
                options={datatypeOptions}
                error={errors[`datatype_${i}`]}
              />
              <TextArea
                name={`values_${i}`}
                id={`values_${i}`}
                label="Antworten (nur bei einer Auswahl)"
                hint="Eine je Zeile: „Name“ oder „kennung = Name“."
                rows={3}
                value={r.values}
                error={errors[`values_${i}`]}
                optional
              />
              <Checkbox name={`required_${i}`} id={`required_${i}`} label="Pflichtfrage" checked={r.required} />
              {!isNew && <Checkbox name={`remove_${i}`} id={`remove_${i}`} label="Diese Frage entfernen" checked={r.remove} />}
            </fieldset>
          );
        })}
        <Button>Speichern</Button>
      </form>
    </Layout>
  );
}
