import { FollowByMailForm } from '../../../ui/follow-by-mail-form.tsx';
import { Layout, type PageContext } from '../../../ui/layout.tsx';
import { caseTypeLabels } from '../../cases/labels.ts';
import { type PublicCase, type PublicCaseUpdate, publicStatusLabels } from '../../transparency/projection/read.ts';
import { When } from '../../transparency/views/public-case.tsx';
import { ATOM_TYPE } from '../feed.ts';
import { PublicStatusBadge, ReportedDay } from './parts.tsx';

/** The permanent public page of one published case: only what the projection holds. */
export function CasePage({
  ctx,
  item,
  updates,
  feeds,
}: {
  ctx: PageContext;
  item: PublicCase;
  updates: PublicCaseUpdate[];
  /** The Atom feeds this case appears in (its district, its category, all), announced in <head>. */
  feeds: { href: string; title: string }[];
}) {
  const base = `/meldungen/${encodeURIComponent(item.number)}`;
  const head = feeds.map((f) => <link rel="alternate" type={ATOM_TYPE} title={f.title} href={f.href} key={f.href} />);
  return (
    <Layout ctx={ctx} title={`Meldung ${item.number}`} head={head}>
      <p class="kern-body">
        <a class="kern-link" href="/meldungen">
          ← Alle Meldungen
        </a>
      </p>
      <h1 class="kern-heading-large">Meldung {item.number}</h1>
      <dl class="facts">
        <dt>Status</dt>
        <dd>
          <PublicStatusBadge status={item.status} />
        </dd>
        <dt>Art</dt>
        <dd>{item.type ? caseTypeLabels[item.type] : 'noch nicht eingeordnet'}</dd>
        <dt>Kategorie</dt>
        <dd>{item.categoryName ?? 'keine'}</dd>
        <dt>Stadtteil</dt>
        <dd>{item.districtName ?? 'nicht zugeordnet'}</dd>
        {item.locationText && (
          <>
            <dt>Ort</dt>
            <dd>{item.locationText}</dd>
          </>
        )}
        <dt>Gemeldet am</dt>
        <dd>
          <ReportedDay at={item.reportedAt} />
        </dd>
        {item.teamName && (
          <>
            <dt>Zuständig</dt>
            <dd>{item.teamName}</dd>
          </>
        )}
        {item.closedAt && (
          <>
            <dt>Abgeschlossen am</dt>
            <dd>
              <ReportedDay at={item.closedAt} />
            </dd>
          </>
        )}
      </dl>
      <StatusNotice item={item} />

      <h2 class="kern-heading-medium">Die Meldung</h2>
      <p class="kern-body message-body">{item.text}</p>
      {item.photoIds.length > 0 && (
        <>
          <h3 class="kern-heading-small">Fotos</h3>
          <ul class="photo-grid">
            {item.photoIds.map((id, i) => (
              <li key={id}>
                <a class="kern-link" href={`${base}/fotos/${id}`}>
                  <img
                    src={`${base}/fotos/${id}/vorschau`}
                    alt={`Foto ${i + 1} von ${item.photoIds.length} in voller Größe öffnen`}
                    loading="lazy"
                  />
                </a>
              </li>
            ))}
          </ul>
        </>
      )}

      <h2 class="kern-heading-medium">Verlauf</h2>
      {updates.length === 0 ? (
        <p class="kern-body">Noch keine Schritte veröffentlicht.</p>
      ) : (
        <ol class="timeline">
          {updates.map((u) => (
            <li key={u.id}>
              <p class="kern-body">
                <strong>{u.text ? `Antwort der Stadt ${ctx.townName}` : `Status: ${publicStatusLabels[u.status]}`}</strong>
                {u.text && ` (Status: ${publicStatusLabels[u.status]})`}
              </p>
              {u.text && <p class="kern-body message-body">{u.text}</p>}
              <p class="kern-body kern-body--small">
                <When at={u.createdAt} />
              </p>
            </li>
          ))}
        </ol>
      )}
      <FollowByMailForm action={`${base}/benachrichtigungen`} csrfToken={ctx.csrfToken} />
    </Layout>
  );
}

/** What the closing statuses mean for this case: where it went, why not, which case it repeats. */
function StatusNotice({ item }: { item: PublicCase }) {
  if (item.status === 'not_responsible') {
    return (
      <p class="kern-body status-notice">
        <strong>nicht zuständig</strong>
        {item.forwardedTo ? ` — weitergeleitet an ${item.forwardedTo}` : ' — die Stadt ist hierfür nicht zuständig.'}
      </p>
    );
  }
  if (item.status === 'rejected') {
    return (
      <p class="kern-body status-notice">
        <strong>abgelehnt</strong>
        {item.statusNote ? ` — Begründung: ${item.statusNote}` : ''}
      </p>
    );
  }
  if (item.status === 'duplicate') {
    return (
      <p class="kern-body status-notice">
        <strong>Duplikat</strong>
        {item.duplicateOfNumber ? (
          <>
            {' von '}
            <a class="kern-link" href={`/meldungen/${encodeURIComponent(item.duplicateOfNumber)}`}>
              Meldung {item.duplicateOfNumber}
            </a>
            : dort geht es weiter.
          </>
        ) : (
          ' — dasselbe wurde schon einmal gemeldet und wird dort bearbeitet.'
        )}
      </p>
    );
  }
  return null;
}
