import { BackLink } from '../../../ui/back-link.tsx';
import { Layout, type PageContext } from '../../../ui/layout.tsx';
import { formatDateTime } from '../time.ts';

/**
 * "Originalansicht" of a mail: the whole text as it came, and its HTML in a frame that may run
 * nothing and load nothing (the frame's own answer says so in its CSP, see original.ts).
 */
export function OriginalPage(props: {
  ctx: PageContext;
  number: string;
  message: { id: number; body: string; createdAt: Date; originalText: string | null; originalHtml: string | null };
}) {
  const { number, message: m } = props;
  const base = `/staff/faelle/${number}`;
  return (
    <Layout ctx={props.ctx} title={`Originalansicht – Anliegen ${number}`}>
      <BackLink href={base}>Anliegen {number}</BackLink>
      <h1 class="kern-heading-large">Originalansicht</h1>
      <p class="kern-body">
        Die Nachricht vom {formatDateTime(m.createdAt)} Uhr, wie sie kam: mit zitiertem Verlauf und Signatur. Bilder aus dem Internet werden
        nicht geladen, Skripte nicht ausgeführt.
      </p>
      <h2 class="kern-heading-medium">Vollständiger Text</h2>
      <pre class="kern-body message-body original-text">{m.originalText ?? m.body}</pre>
      {m.originalHtml !== null && (
        <>
          <h2 class="kern-heading-medium">HTML-Fassung</h2>
          <iframe
            class="original-html"
            title="HTML-Fassung der Mail"
            src={`${base}/nachrichten/${m.id}/original.html`}
            sandbox=""
            referrerpolicy="no-referrer"
            loading="lazy"
          />
        </>
      )}
    </Layout>
  );
}
