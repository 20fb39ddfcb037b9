import { Alert } from '../../../ui/forms.tsx';
import { Layout, type PageContext } from '../../../ui/layout.tsx';

export interface ThanksProps {
  ctx: PageContext;
  number: string;
  trackingUrl: string;
  mailQueued: boolean;
  photoLocationUsed: boolean;
}

export function ThanksPage({ ctx, number, trackingUrl, mailQueued, photoLocationUsed }: ThanksProps) {
  return (
    <Layout ctx={ctx} title={`Danke – Anliegen ${number}`} head={<meta name="robots" content="noindex, nofollow" />}>
      <h1 class="kern-heading-large">Danke, dass Sie sich melden!</h1>
      <Alert kind="success" title="Angekommen – vielen Dank!">
        <p class="kern-body">
          Ihre Vorgangsnummer ist <strong class="code">{number}</strong>. Wir kümmern uns darum.
        </p>
      </Alert>
      <h2 class="kern-heading-medium">Ihr persönlicher Link</h2>
      <p class="kern-body">
        Unter diesem Link sehen Sie jederzeit, was mit Ihrem Anliegen passiert, und lesen unsere Antworten. Bitte speichern Sie ihn als
        Lesezeichen – wer den Link kennt, kann den Stand sehen, geben Sie ihn also nur weiter, wenn Sie das möchten.
      </p>
      <p class="kern-body tracking-link">
        <a class="kern-link" href={trackingUrl}>
          {trackingUrl}
        </a>
      </p>
      {mailQueued ? (
        <p class="kern-body">
          Eine Bestätigung mit Vorgangsnummer und Link ist an Ihre E-Mail-Adresse unterwegs. Keine Mail da? Schauen Sie bitte auch im
          Spam-Ordner nach.
        </p>
      ) : (
        <Alert kind="info" title="Keine Bestätigung per E-Mail">
          <p class="kern-body">
            Sie haben keine E-Mail-Adresse angegeben, deshalb schicken wir keine Mail. Speichern Sie den Link oben jetzt, sonst können Sie
            den Stand später nicht nachsehen.
          </p>
        </Alert>
      )}
      {photoLocationUsed && (
        <p class="kern-body">
          Sie haben keinen Punkt auf der Karte gesetzt. Als Ort haben wir deshalb die Position aus Ihrem Foto übernommen. Die Kameradaten
          selbst haben wir aus dem Foto entfernt.
        </p>
      )}
      <h2 class="kern-heading-medium">Wie geht es weiter?</h2>
      <ol class="kern-list kern-list--number">
        <li>Wir geben Ihr Anliegen an das zuständige Team – das sehen Sie auf Ihrer Seite.</li>
        <li>Das Team prüft es und meldet sich, wenn es Fragen hat oder fertig ist.</li>
        <li>Jeder Schritt erscheint unter Ihrem Link.</li>
      </ol>
      <p class="kern-body">
        <a class="kern-btn kern-btn--secondary" href={trackingUrl}>
          <span class="kern-label">Stand jetzt ansehen</span>
        </a>{' '}
        <a class="kern-link" href="/melden">
          Noch etwas melden
        </a>
      </p>
    </Layout>
  );
}
