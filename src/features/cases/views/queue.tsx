import { Alert, CsrfField } from '../../../ui/forms.tsx';
import { Layout, type PageContext } from '../../../ui/layout.tsx';
import type { BulkOutcome } from '../bulk.ts';
import { caseStatusLabels, caseTypeLabels } from '../labels.ts';
import type { QueueRow } from '../queue.ts';
import { formatDateTime, relativeAge } from '../time.ts';

/** "Nächstes übernehmen": a POST, so it works without JavaScript and is never prefetched. */
export function ClaimNextForm({ csrf }: { csrf: string | undefined }) {
  return (
    <form method="post" action="/staff/warteschlange/naechstes" class="inline-form">
      <CsrfField token={csrf} />
      <button type="submit" class="kern-btn kern-btn--primary">
        <span class="kern-label">Nächstes übernehmen</span>
      </button>
    </form>
  );
}

export function QueuePage({ ctx, rows, now, empty }: { ctx: PageContext; rows: QueueRow[]; now: Date; empty: boolean }) {
  return (
    <Layout ctx={ctx} title="Meine Warteschlange">
      <p class="kern-body">
        <a class="kern-link" href="/staff">
          ← Zum Posteingang
        </a>
      </p>
      <h1 class="kern-heading-large">Meine Warteschlange</h1>
      <p class="kern-body kern-body--large">Offene Anliegen Ihrer Teams, um die sich noch niemand kümmert – die ältesten zuerst.</p>
      {empty && (
        <Alert kind="info" title="Niemand wartet">
          <p class="kern-body">Gerade ist nichts Offenes ohne Zuständigkeit da. Zeit für einen Kaffee – oder für die Sichtung.</p>
        </Alert>
      )}
      {rows.length > 0 && <ClaimNextForm csrf={ctx.csrfToken} />}
      {rows.length === 0 ? (
        !empty && <p class="kern-body">Alles vergeben. Schön!</p>
      ) : (
        <div class="kern-table-responsive">
          <table class="kern-table kern-table--small kern-table--striped">
            <caption class="kern-title">{rows.length === 1 ? '1 Anliegen wartet' : `${rows.length} Anliegen warten`}</caption>
            <thead>
              <tr class="kern-table__row">
                {['Nummer', 'Worum es geht', 'Art', 'Kategorie', 'Team', 'Status', 'Wartet seit'].map((h) => (
                  <th scope="col" class="kern-table__header" key={h}>
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody class="kern-table__body">
              {rows.map((r) => (
                <tr class="kern-table__row" key={r.id}>
                  <th scope="row" class="kern-table__header">
                    <a class="kern-link" href={`/staff/faelle/${r.number}`}>
                      {r.number}
                    </a>
                  </th>
                  <td class="kern-table__cell">{r.excerpt}</td>
                  <td class="kern-table__cell">{r.type ? caseTypeLabels[r.type] : 'unklar'}</td>
                  <td class="kern-table__cell">{r.categoryName ?? '–'}</td>
                  <td class="kern-table__cell">{r.teamName ?? '–'}</td>
                  <td class="kern-table__cell">{caseStatusLabels[r.status]}</td>
                  <td class="kern-table__cell">
                    <time dateTime={r.createdAt.toISOString()} title={formatDateTime(r.createdAt)}>
                      {relativeAge(r.createdAt, now)}
                    </time>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Layout>
  );
}

const actionLabels = { zuweisen: 'Zuweisen', erledigen: 'Als erledigt schließen', markieren: 'Schlagwort vergeben' } as const;

/** The result of a bulk action with failures: what changed, and what not and why. */
export function BulkResultPage({
  ctx,
  action,
  outcome,
  error,
}: {
  ctx: PageContext;
  action: keyof typeof actionLabels | null;
  outcome: BulkOutcome | null;
  error?: string;
}) {
  return (
    <Layout ctx={ctx} title="Sammelaktion">
      <p class="kern-body">
        <a class="kern-link" href="/staff">
          ← Zum Posteingang
        </a>
      </p>
      <h1 class="kern-heading-large">Sammelaktion{action ? `: ${actionLabels[action]}` : ''}</h1>
      {error && (
        <Alert kind="danger" title="Nichts geändert">
          <p class="kern-body">{error}</p>
        </Alert>
      )}
      {outcome && (
        <>
          {outcome.failed.length > 0 && (
            <Alert kind="warning" title={`${outcome.failed.length} nicht geändert`}>
              <ul class="kern-list">
                {outcome.failed.map((f) => (
                  <li key={f.id}>
                    {f.number ? (
                      <a class="kern-link" href={`/staff/faelle/${f.number}`}>
                        {f.number}
                      </a>
                    ) : (
                      'Ein Anliegen'
                    )}{' '}
                    {f.reason}
                  </li>
                ))}
              </ul>
            </Alert>
          )}
          <p class="kern-body">
            Geändert: {outcome.changed.length > 0 ? outcome.changed.join(', ') : 'keines'}.
            {outcome.unchanged.length > 0 && ` Schon so, daher unverändert: ${outcome.unchanged.join(', ')}.`}
          </p>
        </>
      )}
    </Layout>
  );
}
