import type { ComponentChildren } from 'preact';
import type { CaseStatus, CaseType } from '../../../infra/schema/index.ts';
import { caseTypeLabels } from '../../cases/labels.ts';
import type { HistoryEntry } from '../history.ts';
import { publicStatusLabels } from '../projection/read.ts';
import { publicStatusOf } from '../projection/status.ts';

/** The pieces every public view of a case shows: for its reporter (tracking) and for followers. */
const dateTime = new Intl.DateTimeFormat('de-DE', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Berlin' });

export function When({ at }: { at: Date }) {
  return <time dateTime={at.toISOString()}>{dateTime.format(at)}</time>;
}

export function StatusFacts({
  item,
  children,
}: {
  item: { status: CaseStatus; mergedIntoId: number | null; type: CaseType | null; categoryName: string | null; teamName: string | null };
  children?: ComponentChildren;
}) {
  return (
    <dl class="facts">
      <dt>Status</dt>
      <dd>
        <strong>{publicStatusLabels[publicStatusOf(item.status, item.mergedIntoId !== null)]}</strong>
      </dd>
      <dt>Art</dt>
      <dd>{item.type ? caseTypeLabels[item.type] : 'noch nicht eingeordnet'}</dd>
      <dt>Kategorie</dt>
      <dd>{item.categoryName ?? 'keine'}</dd>
      <dt>Zuständig</dt>
      <dd>{item.teamName ?? 'wird gerade geklärt'}</dd>
      {children}
    </dl>
  );
}

export function HistoryTimeline({ history }: { history: HistoryEntry[] }) {
  return (
    <>
      <h2 class="kern-heading-medium">Verlauf</h2>
      <ol class="timeline">
        {history.map((h) => (
          <li key={h.id}>
            <p class="kern-body">
              <strong>{h.title}</strong>
              {h.detail && ` ${h.detail}`}
            </p>
            <p class="kern-body kern-body--small">
              <When at={h.at} />
            </p>
          </li>
        ))}
      </ol>
    </>
  );
}
