import { Button, CsrfField, TextField } from './forms.tsx';

/** What every follow form says about the address: used for this only, confirmed first, ended in one click. */
export function FollowPrivacyHint() {
  return (
    <p class="kern-body kern-body--small" id="follow-privacy">
      Wir verwenden Ihre E-Mail-Adresse nur für diese Benachrichtigungen und geben sie nicht weiter. Zuerst bekommen Sie eine E-Mail mit
      einem Bestätigungslink; vorher schicken wir nichts. In jeder Nachricht können Sie sich mit einem Klick wieder abmelden. Mehr in der{' '}
      <a class="kern-link" href="/datenschutz">
        Datenschutzerklärung
      </a>
      .
    </p>
  );
}

/**
 * "Über Änderungen per E-Mail informieren" on a public case page: one address field. The page that
 * shows it only knows where it posts; the follow feature answers there.
 */
export function FollowByMailForm(props: { action: string; csrfToken: string | undefined; email?: string; error?: string | undefined }) {
  return (
    <form method="post" action={props.action} class="form-stack" aria-labelledby="follow-title">
      <h2 class="kern-heading-medium" id="follow-title">
        Über Änderungen per E-Mail informieren
      </h2>
      <CsrfField token={props.csrfToken} />
      <TextField
        name="email"
        id="follow-email"
        label="Ihre E-Mail-Adresse"
        type="email"
        autocomplete="email"
        maxLength={254}
        required
        value={props.email}
        error={props.error}
      />
      <FollowPrivacyHint />
      <p class="kern-body">
        <Button variant="secondary">Benachrichtigen lassen</Button>
      </p>
    </form>
  );
}
