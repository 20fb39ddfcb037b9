import { Alert, CsrfField, ErrorSummary, type FieldErrors, TextArea } from '../../../ui/forms.tsx';
import { Layout, type PageContext } from '../../../ui/layout.tsx';
import { COMMENT_MAX } from '../forms.ts';
import { ANSWER_DAYS } from '../texts.ts';

const dateOnly = new Intl.DateTimeFormat('de-DE', { dateStyle: 'long', timeZone: 'Europe/Berlin' });
const answerWords = { yes: '„Ja, behoben“', no: '„Nein, noch nicht“' } as const;
const noIndex = <meta name="robots" content="noindex, nofollow" />;

function TrackingLink({ url }: { url: string }) {
  return (
    <p class="kern-body">
      <a class="kern-link" href={url}>
        Zum Stand Ihres Anliegens
      </a>
    </p>
  );
}

export interface QuestionProps {
  ctx: PageContext;
  number: string;
  action: string;
  trackingUrl: string;
  /** The link in the mail that was clicked: named on the page, but only a button answers. */
  preselected: 'yes' | 'no' | null;
  values?: { comment?: string };
  errors?: FieldErrors;
}

/** "Ist es wirklich behoben?": two buttons that post, and an optional comment. Opening it changes nothing. */
export function QuestionPage({ ctx, number, action, trackingUrl, preselected, values = {}, errors = {} }: QuestionProps) {
  return (
    <Layout ctx={ctx} title="Ist es wirklich behoben?" head={noIndex}>
      <h1 class="kern-heading-large">Ist es wirklich behoben?</h1>
      <ErrorSummary errors={errors} labels={{ comment: 'Kommentar', answer: 'Antwort' }} />
      <p class="kern-body">
        Ihr Anliegen {number} haben wir als erledigt abgeschlossen. Stimmt das aus Ihrer Sicht? Ihre Antwort hilft uns – und fließt ohne
        Ihren Namen in unsere Statistik ein.
      </p>
      {preselected && (
        <p class="kern-body">
          In der E-Mail haben Sie {answerWords[preselected]} gewählt. Bitte bestätigen Sie das mit dem passenden Knopf unten; erst dann
          zählt Ihre Antwort.
        </p>
      )}
      <form method="post" action={action} class="form-stack">
        <CsrfField token={ctx.csrfToken} />
        <TextArea
          id="comment"
          name="comment"
          label="Möchten Sie uns noch etwas sagen?"
          hint={`Zum Beispiel, was noch fehlt. Höchstens ${COMMENT_MAX.toLocaleString('de-DE')} Zeichen.`}
          optional
          rows={4}
          maxLength={COMMENT_MAX}
          value={values.comment}
          error={errors.comment}
        />
        <div class="button-row">
          <button
            type="submit"
            id="answer"
            name="answer"
            value="yes"
            class={`kern-btn kern-btn--${preselected === 'no' ? 'secondary' : 'primary'}`}
          >
            <span class="kern-label">Ja, behoben</span>
          </button>
          <button type="submit" name="answer" value="no" class={`kern-btn kern-btn--${preselected === 'no' ? 'primary' : 'secondary'}`}>
            <span class="kern-label">Nein, noch nicht</span>
          </button>
        </div>
      </form>
      <TrackingLink url={trackingUrl} />
    </Layout>
  );
}

/** Right after the answer: thanks, and what happens now. */
export function AnsweredPage({
  ctx,
  answer,
  reopened,
  trackingUrl,
}: {
  ctx: PageContext;
  answer: 'yes' | 'no';
  reopened: boolean;
  trackingUrl: string;
}) {
  return (
    <Layout ctx={ctx} title="Danke für Ihre Antwort" head={noIndex}>
      <h1 class="kern-heading-large">Danke für Ihre Antwort!</h1>
      {answer === 'yes' ? (
        <Alert kind="success" title="Schön, dass es behoben ist">
          <p class="kern-body">Wir haben Ihre Bestätigung gespeichert. Danke, dass Sie sich noch einmal gemeldet haben.</p>
        </Alert>
      ) : (
        <Alert kind="info" title="Wir kümmern uns noch einmal darum">
          <p class="kern-body">
            {reopened
              ? 'Ihr Anliegen ist wieder in Bearbeitung, und das zuständige Team weiß Bescheid. Wie es weitergeht, sehen Sie über Ihren persönlichen Link.'
              : 'Das zuständige Team weiß Bescheid und sieht Ihre Nachricht beim Anliegen. Wie es weitergeht, sehen Sie über Ihren persönlichen Link.'}
          </p>
        </Alert>
      )}
      <TrackingLink url={trackingUrl} />
    </Layout>
  );
}

/** A second click, the back button, a second tab: what was answered stands. */
export function AlreadyAnsweredPage({
  ctx,
  answer,
  answeredAt,
  trackingUrl,
}: {
  ctx: PageContext;
  answer: 'yes' | 'no';
  answeredAt: Date | null;
  trackingUrl: string;
}) {
  return (
    <Layout ctx={ctx} title="Schon beantwortet" head={noIndex}>
      <h1 class="kern-heading-large">Diese Frage haben Sie schon beantwortet</h1>
      <p class="kern-body">
        Ihre Antwort{answeredAt ? ` vom ${dateOnly.format(answeredAt)}` : ''}: {answerWords[answer]}. Sie gilt so; ein zweites Mal müssen
        Sie nichts tun.
      </p>
      <p class="kern-body">Hat sich seitdem etwas geändert? Dann schreiben Sie uns gern über Ihren persönlichen Link oder melden es neu.</p>
      <TrackingLink url={trackingUrl} />
    </Layout>
  );
}

/** The question is too old: the case has moved on, so an answer now would mislead. */
export function ExpiredPage({ ctx, trackingUrl }: { ctx: PageContext; trackingUrl: string }) {
  return (
    <Layout ctx={ctx} title="Nachfrage abgelaufen" head={noIndex}>
      <h1 class="kern-heading-large">Diese Nachfrage ist leider abgelaufen</h1>
      <p class="kern-body">
        Wir nehmen Antworten bis {ANSWER_DAYS} Tage nach unserer Frage an; diese ist älter. Danke, dass Sie trotzdem reingeschaut haben!
      </p>
      <p class="kern-body">
        Ist noch etwas nicht in Ordnung? Dann melden Sie es bitte{' '}
        <a class="kern-link" href="/melden">
          neu
        </a>{' '}
        – so landet es sicher wieder bei uns.
      </p>
      <TrackingLink url={trackingUrl} />
    </Layout>
  );
}
