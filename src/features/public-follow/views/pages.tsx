import type { ComponentChildren } from 'preact';
import { FollowByMailForm } from '../../../ui/follow-by-mail-form.tsx';
import { Alert, ErrorSummary } from '../../../ui/forms.tsx';
import { Layout, type PageContext } from '../../../ui/layout.tsx';
import type { Topic } from '../texts.ts';

/** The pages behind a mail's link are nobody else's business: not indexed, no Referer. */
const noindex = <meta name="robots" content="noindex, nofollow" />;

const topicWords = (t: Topic | null) =>
  t === null
    ? 'zu einer Meldung, die nicht mehr öffentlich ist'
    : t.kind === 'case'
      ? `zur Meldung ${t.number}`
      : `zu neuen Meldungen ${t.label}`;

function Back() {
  return (
    <p class="kern-body">
      <a class="kern-link" href="/meldungen">
        Zu den Meldungen
      </a>
    </p>
  );
}

/** The case page's form on its own, when the address was refused (400) or the page is opened directly. */
export function CaseFollowPage(p: { ctx: PageContext; number: string; email: string; error?: string | undefined }) {
  const base = `/meldungen/${encodeURIComponent(p.number)}`;
  return (
    <Layout ctx={p.ctx} title={`Benachrichtigungen zur Meldung ${p.number}`}>
      <p class="kern-body">
        <a class="kern-link" href={base}>
          ← Zur Meldung {p.number}
        </a>
      </p>
      <h1 class="kern-heading-large">Benachrichtigungen zur Meldung {p.number}</h1>
      <ErrorSummary errors={{ 'follow-email': p.error }} />
      <p class="kern-body">
        Wir schreiben Ihnen, sobald sich an dieser Meldung öffentlich etwas ändert: ein neuer Status oder eine Antwort.
      </p>
      <FollowByMailForm action={`${base}/benachrichtigungen`} csrfToken={p.ctx.csrfToken} email={p.email} error={p.error} />
    </Layout>
  );
}

/** After the form: the same words whether the address was new, pending or already confirmed. */
export function CheckYourMailPage({ ctx }: { ctx: PageContext }) {
  return (
    <Layout ctx={ctx} title="Bitte bestätigen Sie Ihre E-Mail-Adresse">
      <h1 class="kern-heading-large">Bitte bestätigen Sie Ihre E-Mail-Adresse</h1>
      <p class="kern-body kern-body--large">
        Wir haben Ihnen eine E-Mail geschickt. Bitte öffnen Sie den Link darin, um die Benachrichtigungen zu bestätigen.
      </p>
      <p class="kern-body">
        Erst nach der Bestätigung bekommen Sie Nachrichten. Ist nach einigen Minuten nichts angekommen, schauen Sie bitte auch im
        Spam-Ordner nach. Sind Sie schon angemeldet, sagt Ihnen die E-Mail das.
      </p>
      <Back />
    </Layout>
  );
}

function TokenForm(p: { action: string; csrfToken?: string | undefined; children: ComponentChildren; oneClick?: boolean }) {
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

/**
 * GET of the confirmation link: a button, nothing changed yet. Mail scanners fetch every link of a
 * mail, so a GET that confirmed would confirm addresses whose owner never clicked.
 */
export function ConfirmPage(p: { ctx: PageContext; action: string; topic: Topic | null }) {
  return (
    <Layout ctx={p.ctx} title="Benachrichtigungen bestätigen" head={noindex}>
      <h1 class="kern-heading-large">Benachrichtigungen bestätigen</h1>
      <p class="kern-body kern-body--large">Möchten Sie E-Mail-Benachrichtigungen {topicWords(p.topic)} bekommen?</p>
      <TokenForm action={p.action} csrfToken={p.ctx.csrfToken}>
        Ja, Benachrichtigungen bestätigen
      </TokenForm>
      <p class="kern-body">Wenn nicht, schließen Sie diese Seite einfach. Ohne Bestätigung schicken wir nichts.</p>
    </Layout>
  );
}

export function ConfirmedPage(p: { ctx: PageContext; topic: Topic | null; unsubscribePath: string }) {
  return (
    <Layout ctx={p.ctx} title="Bestätigt" head={noindex}>
      <h1 class="kern-heading-large">Bestätigt</h1>
      <Alert kind="success" title="Ihre Benachrichtigungen sind eingerichtet.">
        <p class="kern-body">
          Sie bekommen ab jetzt E-Mails {topicWords(p.topic)}. Kommen viele Änderungen kurz nacheinander, fassen wir sie in einer E-Mail
          zusammen.
        </p>
      </Alert>
      <p class="kern-body">
        Abmelden können Sie sich mit dem Link in jeder Nachricht oder{' '}
        <a class="kern-link" href={p.unsubscribePath}>
          gleich hier
        </a>
        .
      </p>
      <Back />
    </Layout>
  );
}

/** The confirmation link of a subscription already ended (410). */
export function EndedPage({ ctx }: { ctx: PageContext }) {
  return (
    <Layout ctx={ctx} title="Abgemeldet" head={noindex}>
      <h1 class="kern-heading-large">Diese Benachrichtigungen sind beendet</h1>
      <p class="kern-body">
        Sie haben sich abgemeldet, deshalb lässt sich dieser Link nicht mehr bestätigen. Möchten Sie wieder Nachrichten bekommen, melden Sie
        sich bitte neu an.
      </p>
      <Back />
    </Layout>
  );
}

/** GET of the unsubscribe link: a button, nothing changed yet (a mail scanner must not unsubscribe anyone). */
export function UnsubscribePage(p: { ctx: PageContext; action: string; topic: Topic | null; ended: boolean }) {
  return (
    <Layout ctx={p.ctx} title="Benachrichtigungen abbestellen" head={noindex}>
      <h1 class="kern-heading-large">Benachrichtigungen abbestellen</h1>
      {p.ended ? (
        <p class="kern-body kern-body--large">Sie sind bereits abgemeldet und bekommen keine E-Mails {topicWords(p.topic)} mehr.</p>
      ) : (
        <>
          <p class="kern-body kern-body--large">Möchten Sie keine E-Mails {topicWords(p.topic)} mehr bekommen?</p>
          <TokenForm action={p.action} oneClick>
            Abmelden
          </TokenForm>
        </>
      )}
      <Back />
    </Layout>
  );
}

export function UnsubscribedPage({ ctx }: { ctx: PageContext }) {
  return (
    <Layout ctx={ctx} title="Abgemeldet" head={noindex}>
      <h1 class="kern-heading-large">Abgemeldet</h1>
      <p class="kern-body kern-body--large">Sie bekommen diese Benachrichtigungen nicht mehr.</p>
      <Back />
    </Layout>
  );
}
