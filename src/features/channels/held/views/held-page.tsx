import { Alert } from '../../../../ui/forms.tsx';
import { Layout, type PageContext } from '../../../../ui/layout.tsx';
import { formatDateTime } from '../../../cases/time.ts';
import type { HeldListRow } from '../queries.ts';

export interface HeldNotice {
  kind: 'success' | 'info';
  title: string;
}

/** The first lines of a text, at most `maxChars`, with "…" when something was left off. */
export function firstLines(text: string, lines = 3, maxChars = 280): string {
  const all = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const kept = all.slice(0, lines).join('\n');
  if (kept.length > maxChars) return `${kept.slice(0, maxChars).trimEnd()} …`;
  return all.length > lines ? `${kept} …` : kept;
}

/** "Nicht zugeordnet": mails that became no case for a team, for a person to look at. */
export function HeldPage({
  ctx,
  rows,
  nextAfter,
  notice,
}: {
  ctx: PageContext;
  rows: HeldListRow[];
  nextAfter: number | null;
  notice?: HeldNotice | undefined;
}) {
  return (
    <Layout ctx={ctx} title="Nicht zugeordnet">
      <h1 class="kern-heading-large">Nicht zugeordnet</h1>
      <p class="kern-body">
        Mails, die kein Anliegen für ein Team geworden sind: Sie sehen nach Spam oder einem Newsletter aus, kamen unzustellbar zurück oder
        enthielten nichts. Bitte sehen Sie sie durch: Übernehmen Sie echte Anliegen, verwerfen Sie den Rest. Neueste zuerst.
      </p>
      {notice && <Alert kind={notice.kind} title={notice.title} />}
      {rows.length === 0 ? (
        <p class="kern-body">Hier wartet nichts. Alles, was hereinkam, ist einem Anliegen zugeordnet oder entschieden.</p>
      ) : (
        <ol class="thread" aria-label="Nicht zugeordnete Nachrichten">
          {rows.map((m) => (
            <HeldItem m={m} csrf={ctx.csrfToken} key={m.id} />
          ))}
        </ol>
      )}
      {nextAfter && (
        <nav aria-label="Seiten">
          <ul class="pagination">
            <li>
              <a class="kern-link" href="/staff/nicht-zugeordnet">
                ← Neueste
              </a>
            </li>
            <li>
              <a class="kern-link" href={`/staff/nicht-zugeordnet?nach=${nextAfter}`} rel="next">
                Ältere →
              </a>
            </li>
          </ul>
        </nav>
      )}
    </Layout>
  );
}

function HeldItem({ m, csrf }: { m: HeldListRow; csrf: string | undefined }) {
  const titleId = `held-${m.id}-title`;
  return (
    <li>
      <h2 id={titleId} class="kern-heading-small">
        {m.subject || '(ohne Betreff)'}
      </h2>
      <p class="kern-body kern-body--small">
        Von {m.sender ?? 'unbekanntem Absender'} · eingegangen{' '}
        <time dateTime={m.receivedAt.toISOString()}>{formatDateTime(m.receivedAt)}</time>
      </p>
      <p class="kern-body">
        <strong>Grund:</strong> {m.reason}
      </p>
      <p class="kern-body message-body">{firstLines(m.excerpt)}</p>
      <div class="held-actions">
        <form method="post" action={`/staff/nicht-zugeordnet/${m.id}/uebernehmen`} class="inline-form">
          <input type="hidden" name="_csrf" value={csrf} />
          <button type="submit" class="kern-btn kern-btn--primary kern-btn--small" aria-describedby={titleId}>
            <span class="kern-label">Als Anliegen übernehmen</span>
          </button>
        </form>
        <form method="post" action={`/staff/nicht-zugeordnet/${m.id}/verwerfen`} class="inline-form">
          <input type="hidden" name="_csrf" value={csrf} />
          <button type="submit" class="kern-btn kern-btn--secondary kern-btn--small" aria-describedby={titleId}>
            <span class="kern-label">Verwerfen</span>
          </button>
        </form>
      </div>
    </li>
  );
}
