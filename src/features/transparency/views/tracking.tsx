import type { MessageKind } from '../../../infra/schema/index.ts';
import { Layout, type PageContext } from '../../../ui/layout.tsx';
import type { HistoryEntry } from '../history.ts';
import type { PublicCaseFacts, TrackedCase } from '../queries.ts';
import { MergedNotice } from './merged-notice.tsx';
import { HistoryTimeline, StatusFacts, When } from './public-case.tsx';

const coordinate = new Intl.NumberFormat('de-DE', { maximumFractionDigits: 5 });

export interface TrackingProps {
  ctx: PageContext;
  token: string;
  item: TrackedCase;
  history: HistoryEntry[];
  /** Only public kinds arrive here (publicMessages selects them); the type is the column's. */
  messages: { id: number; kind: MessageKind; body: string; createdAt: Date }[];
  photos: { id: number; width: number; height: number }[];
  /** Set when this report was merged into another: how that one stands. */
  mergedInto?: PublicCaseFacts | null;
}

export function TrackingPage({ ctx, token, item, history, messages, photos, mergedInto }: TrackingProps) {
  // The first inbound message is the report itself, shown above; later ones are the citizen's follow-ups.
  const firstInbound = messages.find((m) => m.kind === 'inbound')?.id;
  const thread = messages.filter((m) => m.id !== firstInbound);
  const base = `/verfolgen/${encodeURIComponent(token)}`;
  return (
    <Layout ctx={ctx} title={`Anliegen ${item.number}`} head={<meta name="robots" content="noindex, nofollow" />}>
      <h1 class="kern-heading-large">Ihr Anliegen {item.number}</h1>
      <p class="kern-body">Diese Seite zeigt, was mit Ihrem Anliegen passiert. Sie ist nur über Ihren persönlichen Link erreichbar.</p>
      {mergedInto && <MergedNotice target={mergedInto} />}
      <StatusFacts item={item}>
        <dt>Eingegangen</dt>
        <dd>
          <When at={item.createdAt} />
        </dd>
      </StatusFacts>

      <HistoryTimeline history={history} />

      <h2 class="kern-heading-medium">Ihre Meldung</h2>
      <p class="kern-body message-body">{item.description}</p>
      {(item.locationText || (item.lat !== null && item.lon !== null)) && (
        <p class="kern-body">
          <strong>Ort:</strong> {item.locationText}
          {item.lat !== null && item.lon !== null && (
            <span>
              {item.locationText ? ' · ' : ''}Kartenpunkt {coordinate.format(item.lat)}, {coordinate.format(item.lon)}
            </span>
          )}
        </p>
      )}
      {photos.length > 0 && (
        <>
          <h3 class="kern-heading-small">Ihre Fotos</h3>
          <ul class="photo-grid">
            {photos.map((p, i) => (
              <li key={p.id}>
                <a class="kern-link" href={`${base}/fotos/${p.id}`}>
                  <img src={`${base}/fotos/${p.id}/vorschau`} alt={`Foto ${i + 1} in voller Größe öffnen`} loading="lazy" />
                </a>
              </li>
            ))}
          </ul>
        </>
      )}

      <h2 class="kern-heading-medium">Nachrichten</h2>
      {thread.length === 0 ? (
        <p class="kern-body">Noch keine Nachrichten. Sobald das Team antwortet, steht die Antwort hier.</p>
      ) : (
        <ol class="thread">
          {thread.map((m) => (
            <li key={m.id} class={m.kind === 'reply' ? 'reply' : undefined}>
              <p class="kern-body">
                <strong>{messageTitle(m.kind, ctx.townName)}</strong> · <When at={m.createdAt} />
              </p>
              {/* The acknowledgement's stored body is a note for staff (it names the address); citizens get a plain line. */}
              <p class="kern-body message-body">
                {m.kind === 'auto' ? 'Wir haben Ihnen eine Eingangsbestätigung per E-Mail geschickt.' : m.body}
              </p>
            </li>
          ))}
        </ol>
      )}
    </Layout>
  );
}

function messageTitle(kind: TrackingProps['messages'][number]['kind'], townName: string): string {
  if (kind === 'reply') return `Antwort der Stadt ${townName}`;
  if (kind === 'auto') return 'Automatische Nachricht';
  return 'Ihre Nachricht';
}
