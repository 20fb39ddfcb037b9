import { CsrfField } from '../../../ui/forms.tsx';
import { Layout, type PageContext } from '../../../ui/layout.tsx';
import { caseStatusLabels, channelLabels, contactKindLabels } from '../../cases/labels.ts';
import type { AdditionalReporter } from '../queries.ts';
import type { DuplicatesPanelData } from '../staff-panel.ts';
import { formatDate, formatDistance, formatPercent } from './format.ts';

const excerpt = (text: string, max = 160) => (text.length <= max ? text : `${text.slice(0, max).trimEnd()} …`);

/**
 * The case page's duplicate section: where it was merged to, who else is waiting for the answer,
 * which cases were merged into it, and candidates with a merge button each. The older case of a
 * pair always carries on, so the button says which one that is.
 */
export function DuplicatesPanel({
  k,
  data,
  csrf,
}: {
  k: { number: string; version: number; createdAt: Date; id: number };
  data: DuplicatesPanelData;
  csrf: string | undefined;
}) {
  return (
    <section aria-labelledby="duplicates-title">
      <h2 id="duplicates-title" class="kern-heading-medium">
        Mögliche Duplikate
      </h2>
      {data.mergedInto && (
        <p class="kern-body">
          Zusammengeführt in{' '}
          <a class="kern-link" href={`/staff/faelle/${data.mergedInto.number}`}>
            Anliegen {data.mergedInto.number}
          </a>
          . Die meldende Person bekommt Bescheid, wenn es dort erledigt ist.
        </p>
      )}
      {data.candidates === null && !data.mergedInto && (
        <p class="kern-body">
          {data.missing === 'category'
            ? 'Ohne Kategorie suchen wir keine Duplikate.'
            : data.missing === 'location'
              ? 'Ohne Kartenpunkt suchen wir keine Duplikate.'
              : 'Abgeschlossene Anliegen werden nicht mehr zusammengeführt.'}
        </p>
      )}
      {data.candidates?.length === 0 && <p class="kern-body">Keine ähnlichen offenen Meldungen derselben Kategorie in der Nähe.</p>}
      {data.candidates && data.candidates.length > 0 && (
        <ul class="thread">
          {data.candidates.map((c) => {
            const thisStays =
              k.createdAt.getTime() - c.createdAt.getTime() < 0 || (k.createdAt.getTime() === c.createdAt.getTime() && k.id < c.id);
            return (
              <li key={c.id}>
                <p class="kern-body">
                  <a class="kern-link" href={`/staff/faelle/${c.number}`}>
                    <strong>{c.number}</strong>
                  </a>{' '}
                  · {caseStatusLabels[c.status]} · {formatDate(c.createdAt)}
                </p>
                <p class="kern-body kern-body--small">
                  {formatDistance(c.distanceM)} · Textähnlichkeit {formatPercent(c.similarity)}
                  {c.locationText ? ` · ${c.locationText}` : ''}
                </p>
                <p class="kern-body message-body">{excerpt(c.description)}</p>
                <form method="post" action={`/staff/faelle/${k.number}/zusammenfuehren`} class="inline-form">
                  <CsrfField token={csrf} />
                  <input type="hidden" name="version" value={String(k.version)} />
                  <input type="hidden" name="other" value={c.number} />
                  <input type="hidden" name="otherVersion" value={String(c.version)} />
                  <button type="submit" class="kern-btn kern-btn--secondary kern-btn--small">
                    <span class="kern-label">
                      Zusammenführen ({thisStays ? k.number : c.number} bleibt, {thisStays ? c.number : k.number} wird geschlossen)
                    </span>
                  </button>
                </form>
              </li>
            );
          })}
        </ul>
      )}
      {data.reporters.length > 0 && (
        <>
          <h3 class="kern-heading-small">Weitere Meldende</h3>
          <p class="kern-body kern-body--small">Beim Erledigen bekommen alle mit erreichbarer E-Mail-Adresse eine Nachricht.</p>
          <ul class="kern-list">
            {data.reporters.map((r) => (
              <li key={r.id}>
                {r.name ?? 'ohne Namen'} · <ReporterContact r={r} /> ·{' '}
                {r.kind === 'follower'
                  ? `folgt seit ${formatDate(r.createdAt)}`
                  : `aus ${r.originNumber ?? 'einem gelöschten Anliegen'}${r.originChannel ? ` (${channelLabels[r.originChannel]})` : ''}`}
              </li>
            ))}
          </ul>
        </>
      )}
      {data.mergedCases.length > 0 && (
        <>
          <h3 class="kern-heading-small">Hierher zusammengeführt</h3>
          <ul class="kern-list">
            {data.mergedCases.map((m) => (
              <li key={m.number}>
                <a class="kern-link" href={`/staff/faelle/${m.number}`}>
                  Anliegen {m.number}
                </a>{' '}
                (Verlauf und Fotos bleiben dort)
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

export function MergeFailedPage({ ctx, number, message, status }: { ctx: PageContext; number: string; message: string; status: number }) {
  return (
    <Layout ctx={ctx} title="Nicht zusammengeführt">
      <h1 class="kern-heading-large">Nicht zusammengeführt</h1>
      <div class="kern-alert kern-alert--danger" role="alert">
        <div class="kern-alert__header">
          <span class="kern-icon kern-icon--danger" aria-hidden="true" />
          <span class="kern-title">{status === 409 ? 'Da war jemand schneller' : 'Das geht so nicht'}</span>
        </div>
        <div class="kern-alert__body">
          <p class="kern-body">{message}</p>
        </div>
      </div>
      <p class="kern-body">
        <a class="kern-link" href={`/staff/faelle/${number}`}>
          Zurück zu Anliegen {number}
        </a>
      </p>
    </Layout>
  );
}

/** The reporter's contact (kind and address), and whether it still takes mail. */
function ReporterContact({ r }: { r: AdditionalReporter }) {
  if (r.contactKind === null || r.contactAddress === null) return <>keine E-Mail</>;
  return (
    <>
      {contactKindLabels[r.contactKind]} {r.contactAddress}
      {r.contactUndeliverableAt && <strong> (nicht erreichbar seit {formatDate(r.contactUndeliverableAt)})</strong>}
    </>
  );
}
