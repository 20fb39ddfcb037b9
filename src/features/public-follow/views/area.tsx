import { FollowPrivacyHint } from '../../../ui/follow-by-mail-form.tsx';
import { Button, CsrfField, ErrorSummary, type Option, RadioGroup, SelectField, TextField } from '../../../ui/forms.tsx';
import { Layout, type PageContext } from '../../../ui/layout.tsx';
import type { AreaFormValues } from '../forms.ts';
import { RADII } from '../forms.ts';

const labels: Record<string, string> = {
  email: 'E-Mail-Adresse',
  bereich: 'Gebiet',
  bezirk: 'Stadtteil',
  lat: 'Breite',
  lon: 'Länge',
  radius: 'Umkreis',
  kategorie: 'Kategorie',
};

/**
 * /meldungen/benachrichtigungen: new public reports in a district or around a point, by e-mail.
 * Works without JavaScript: the district is a list, the point is typed in as latitude and longitude.
 */
export function AreaAlertPage(p: {
  ctx: PageContext;
  values: AreaFormValues;
  errors: Record<string, string>;
  districts: Option[];
  categories: Option[];
}) {
  const { values, errors } = p;
  return (
    <Layout ctx={p.ctx} title="Benachrichtigungen über neue Meldungen">
      <p class="kern-body">
        <a class="kern-link" href="/meldungen">
          ← Alle Meldungen
        </a>
      </p>
      <h1 class="kern-heading-large">Über neue Meldungen informiert werden</h1>
      <p class="kern-body">
        Wir schreiben Ihnen, wenn in einem Stadtteil oder in der Nähe eines Ortes eine neue Meldung öffentlich wird. Kommen mehrere kurz
        nacheinander, fassen wir sie in einer E-Mail zusammen.
      </p>
      <ErrorSummary errors={errors} labels={labels} />
      <form method="post" action="/meldungen/benachrichtigungen" class="form-stack" novalidate>
        <CsrfField token={p.ctx.csrfToken} />
        <RadioGroup
          name="bereich"
          label="Welches Gebiet?"
          value={values.bereich}
          error={errors.bereich}
          options={[
            { value: 'bezirk', label: 'Ein Stadtteil' },
            { value: 'umkreis', label: 'Ein Umkreis um einen Punkt' },
          ]}
        />
        <SelectField
          name="bezirk"
          label="Stadtteil"
          hint="Nur wenn Sie „Ein Stadtteil“ gewählt haben."
          value={values.bezirk}
          error={errors.bezirk}
          emptyLabel="bitte wählen"
          options={p.districts}
        />
        <fieldset class="kern-fieldset" aria-describedby="point-hint">
          <legend class="kern-label">Umkreis um einen Punkt</legend>
          <p class="kern-hint" id="point-hint">
            Nur wenn Sie „Ein Umkreis um einen Punkt“ gewählt haben. Breite und Länge als Dezimalzahlen, z. B. 47.66330 und 9.17530; Sie
            finden sie in jeder Karten-App, wenn Sie lange auf den Ort tippen.
          </p>
          <div class="kern-fieldset__body">
            <TextField name="lat" label="Breite" value={values.lat} error={errors.lat} maxLength={20} />
            <TextField name="lon" label="Länge" value={values.lon} error={errors.lon} maxLength={20} />
            <SelectField
              name="radius"
              label="Umkreis"
              value={values.radius}
              error={errors.radius}
              options={RADII.map((r) => ({ value: r, label: `${Number(r).toLocaleString('de-DE')} m` }))}
            />
          </div>
        </fieldset>
        <SelectField
          name="kategorie"
          label="Kategorie"
          optional
          value={values.kategorie}
          error={errors.kategorie}
          emptyLabel="alle Kategorien"
          options={p.categories}
        />
        <TextField
          name="email"
          label="Ihre E-Mail-Adresse"
          type="email"
          autocomplete="email"
          maxLength={254}
          value={values.email}
          error={errors.email}
        />
        <FollowPrivacyHint />
        <p class="kern-body">
          <Button>Benachrichtigungen bestellen</Button>
        </p>
      </form>
    </Layout>
  );
}
