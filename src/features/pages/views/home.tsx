import { Layout, type PageContext } from '../../../ui/layout.tsx';
import { feedTitle } from '../../amtsblatt/public/labels.ts';
import { TIMELINE_PATH } from '../../amtsblatt/public/links.ts';
import { FeedHead, feedLinks } from '../../amtsblatt/public/views/parts.tsx';

export function HomePage({ ctx }: { ctx: PageContext }) {
  return (
    <Layout ctx={ctx} title="Willkommen" head={<FeedHead feeds={feedLinks(feedTitle(ctx.townName, {}))} />}>
      <h1 class="kern-heading-x-large">Was können wir für Sie tun?</h1>
      <p class="kern-body kern-body--large">
        Laterne kaputt, Mülleimer voll, eine Idee für den Spielplatz oder einfach ein Lob? Sagen Sie es uns. Sie müssen nicht wissen, wer
        bei der Stadt {ctx.townName} zuständig ist – das finden wir heraus.
      </p>
      <p>
        <a class="kern-btn kern-btn--primary" href="/melden">
          <span class="kern-label">Anliegen melden</span>
        </a>
      </p>
      <p class="kern-body">
        <a class="kern-link" href="/meldungen">
          Was schon gemeldet wurde und wie weit es ist: alle öffentlichen Meldungen auf Karte und Liste
        </a>
      </p>
      <p class="kern-body">
        <a class="kern-link" href={TIMELINE_PATH}>
          Das Amtsblatt: Nachrichten, amtliche Bekanntmachungen und Termine der Stadt
        </a>
      </p>
      <h2 class="kern-heading-medium">So geht es weiter</h2>
      <ol class="kern-list kern-list--number">
        <li>Sie schildern Ihr Anliegen – mit Ort und Foto, wenn Sie mögen.</li>
        <li>Sie bekommen sofort eine Vorgangsnummer und einen persönlichen Link, unter dem Sie den Stand verfolgen können.</li>
        <li>Das zuständige Team kümmert sich und antwortet Ihnen – auf dem Weg, auf dem Sie uns geschrieben haben.</li>
      </ol>
    </Layout>
  );
}
