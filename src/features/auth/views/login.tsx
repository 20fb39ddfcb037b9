import { Alert, Button, CsrfField, ErrorSummary, type FieldErrors, TextField } from '../../../ui/forms.tsx';
import { Layout, type PageContext } from '../../../ui/layout.tsx';

export interface LoginView {
  email?: string;
  weiter: string;
  errors?: FieldErrors;
  /** A message about the whole attempt (wrong password, locked, deactivated). */
  problem?: { title: string; text: string };
  loggedOut?: boolean;
}

const labels = { email: 'E-Mail-Adresse', password: 'Passwort' };

export function LoginPage({ ctx, view }: { ctx: PageContext; view: LoginView }) {
  const errors = view.errors ?? {};
  return (
    <Layout ctx={ctx} title="Anmelden">
      <h1 class="kern-heading-large">Anmelden für Mitarbeitende</h1>
      {view.loggedOut && (
        <Alert kind="success" title="Sie sind abgemeldet.">
          <p class="kern-body">Danke für Ihre Arbeit – bis zum nächsten Mal!</p>
        </Alert>
      )}
      {view.problem && (
        <Alert kind="danger" title={view.problem.title}>
          <p class="kern-body">{view.problem.text}</p>
        </Alert>
      )}
      <ErrorSummary errors={errors} labels={labels} />
      <form method="post" action="/anmelden" class="form-stack" novalidate>
        <CsrfField token={ctx.csrfToken} />
        <input type="hidden" name="weiter" value={view.weiter} />
        <TextField
          name="email"
          label={labels.email}
          type="email"
          autocomplete="username"
          maxLength={254}
          required
          value={view.email}
          error={errors.email}
        />
        <TextField
          name="password"
          label={labels.password}
          type="password"
          autocomplete="current-password"
          maxLength={256}
          required
          error={errors.password}
        />
        <Button>Anmelden</Button>
      </form>
      <p class="kern-body">
        Passwort vergessen? Die Verwaltung Ihrer Stadt setzt es gern zurück. Sie möchten ein Anliegen melden?{' '}
        <a class="kern-link" href="/melden">
          Hier geht es ohne Anmeldung.
        </a>
      </p>
    </Layout>
  );
}
