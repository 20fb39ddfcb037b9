import type { ComponentChildren } from 'preact';
import { postKinds } from '../../../../infra/schema/index.ts';
import { Alert, Button, CheckboxGroup, CsrfField, ErrorSummary, TextField } from '../../../../ui/forms.tsx';
import { Layout, type PageContext } from '../../../../ui/layout.tsx';
import { kindLabels } from '../labels.ts';
import { NEWSLETTER_PATH, TIMELINE_PATH } from '../links.ts';

const noindex = <meta name="robots" content="noindex, nofollow" />;

function Back() {
  return (
    <p class="kern-body">
      <a class="kern-link" href={TIMELINE_PATH}>
        Zum Amtsblatt
      </a>
    </p>
  );
}

export interface SignupValues {
  email: string;
  kinds: string[];
  tags: string[];
}

/** /amtsblatt/newsletter: address, kinds and tags (none chosen: everything). */
export function SignupPage(p: { ctx: PageContext; values: SignupValues; errors: Record<string, string>; tags: string[] }) {
  return (
    <Layout ctx={p.ctx} title="Newsletter des Amtsblatts">
      <h1 class="kern-heading-large">Newsletter des Amtsblatts</h1>
      <p class="kern-body">
        Neue Beiträge des Amtsblatts der Stadt {p.ctx.townName} per E-Mail. Sie bestätigen die Anmeldung über einen Link, den wir Ihnen
        schicken, und können sich mit einem Klick in jeder E-Mail wieder abmelden.
      </p>
      <ErrorSummary errors={p.errors} />
      <form method="post" action={NEWSLETTER_PATH} class="form-stack" noValidate>
        <CsrfField token={p.ctx.csrfToken} />
        <TextField
          name="email"
          type="email"
          label="E-Mail-Adresse"
          autocomplete="email"
          value={p.values.email}
          error={p.errors.email}
          required
        />
        <CheckboxGroup
          name="art"
          label="Welche Arten von Beiträgen?"
          hint="Ohne Auswahl: alle."
          values={p.values.kinds}
          options={postKinds.map((k) => ({ value: k, label: kindLabels[k] }))}
          error={p.errors.art}
        />
        {p.tags.length > 0 && (
          <CheckboxGroup
            name="schlagwort"
            label="Nur zu diesen Schlagwörtern?"
            hint="Ohne Auswahl: alle."
            values={p.values.tags}
            options={p.tags.map((t) => ({ value: t, label: t }))}
            error={p.errors.schlagwort}
          />
        )}
        <Button>Newsletter bestellen</Button>
      </form>
      <p class="kern-body kern-body--small">
        Wir verwenden Ihre E-Mail-Adresse nur für diesen Newsletter. Mehr dazu in der{' '}
        <a class="kern-link" href="/datenschutz">
          Datenschutzerklärung
        </a>
        .
      </p>
    </Layout>
  );
}

export function CheckYourMailPage({ ctx }: { ctx: PageContext }) {
  return (
    <Layout ctx={ctx} title="Bitte bestätigen Sie Ihre E-Mail-Adresse">
      <h1 class="kern-heading-large">Bitte bestätigen Sie Ihre E-Mail-Adresse</h1>
      <p class="kern-body kern-body--large">
        Wir haben Ihnen eine E-Mail geschickt. Bitte öffnen Sie den Link darin, um den Newsletter zu bestätigen.
      </p>
      <p class="kern-body">
        Erst nach der Bestätigung bekommen Sie den Newsletter. Ist nach einigen Minuten nichts angekommen, schauen Sie bitte auch im
        Spam-Ordner nach. Sind Sie schon angemeldet, sagt Ihnen die E-Mail das.
      </p>
      <Back />
    </Layout>
  );
}

function TokenForm(p: { action: string; csrfToken?: string | undefined; oneClick?: boolean; children: ComponentChildren }) {
  return (
    <form method="post" action={p.action} class="form-stack">
      {p.csrfToken !== undefined && <input type="hidden" name="_csrf" value={p.csrfToken} />}
      {p.oneClick && <input type="hidden" name="List-Unsubscribe" value="One-Click" />}
      <p class="kern-body">
        <button type="submit" class="kern-btn kern-btn--primary">
          <span class="kern-label">{p.children}</span>
        </button>
      </p>
    </form>
  );
}

/** GET of the confirmation link shows a button: mail scanners open links, only a person presses it. */
export function ConfirmPage(p: { ctx: PageContext; action: string; choice: string }) {
  return (
    <Layout ctx={p.ctx} title="Newsletter bestätigen" head={noindex}>
      <h1 class="kern-heading-large">Newsletter bestätigen</h1>
      <p class="kern-body kern-body--large">Möchten Sie den Newsletter des Amtsblatts bekommen ({p.choice})?</p>
      <TokenForm action={p.action} csrfToken={p.ctx.csrfToken}>
        Ja, Newsletter bestätigen
      </TokenForm>
      <p class="kern-body">Wenn nicht, schließen Sie diese Seite einfach. Ohne Bestätigung schicken wir nichts.</p>
    </Layout>
  );
}

export function ConfirmedPage(p: { ctx: PageContext; unsubscribePath: string }) {
  return (
    <Layout ctx={p.ctx} title="Bestätigt" head={noindex}>
      <h1 class="kern-heading-large">Bestätigt</h1>
      <Alert kind="success" title="Ihr Newsletter ist eingerichtet.">
        <p class="kern-body">Sie bekommen ab jetzt neue Beiträge des Amtsblatts per E-Mail.</p>
      </Alert>
      <p class="kern-body">
        Abmelden können Sie sich mit dem Link in jeder E-Mail oder{' '}
        <a class="kern-link" href={p.unsubscribePath}>
          gleich hier
        </a>
        .
      </p>
      <Back />
    </Layout>
  );
}

export function UnsubscribePage(p: { ctx: PageContext; action: string; ended: boolean }) {
  return (
    <Layout ctx={p.ctx} title="Newsletter abbestellen" head={noindex}>
      <h1 class="kern-heading-large">Newsletter abbestellen</h1>
      {p.ended ? (
        <p class="kern-body kern-body--large">Dieser Newsletter ist bereits abbestellt. Sie bekommen keine E-Mails mehr.</p>
      ) : (
        <TokenForm action={p.action} oneClick>
          Newsletter abbestellen
        </TokenForm>
      )}
      <Back />
    </Layout>
  );
}

export function UnsubscribedPage({ ctx }: { ctx: PageContext }) {
  return (
    <Layout ctx={ctx} title="Abbestellt" head={noindex}>
      <h1 class="kern-heading-large">Abbestellt</h1>
      <p class="kern-body kern-body--large">Sie bekommen den Newsletter nicht mehr.</p>
      <Back />
    </Layout>
  );
}

export function EndedPage({ ctx }: { ctx: PageContext }) {
  return (
    <Layout ctx={ctx} title="Abbestellt" head={noindex}>
      <h1 class="kern-heading-large">Abbestellt</h1>
      <p class="kern-body kern-body--large">Dieser Newsletter wurde abbestellt. Sie können ihn jederzeit neu bestellen.</p>
      <p class="kern-body">
        <a class="kern-link" href={NEWSLETTER_PATH}>
          Newsletter neu bestellen
        </a>
      </p>
    </Layout>
  );
}
