import { publicStatusLabels } from '../projection/read.ts';
import { publicStatusOf } from '../projection/status.ts';
import type { PublicCaseFacts } from '../queries.ts';

const dateTime = new Intl.DateTimeFormat('de-DE', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Berlin' });

/**
 * On the tracking page of a report that was merged into another: why it says "weitergeleitet",
 * and how the report that carries on stands (its number and status, nothing its reporter wrote).
 */
export function MergedNotice({ target }: { target: PublicCaseFacts }) {
  const done = target.status === 'resolved';
  return (
    <div class={`kern-alert kern-alert--${done ? 'success' : 'info'}`} role="status">
      <div class="kern-alert__header">
        <span class={`kern-icon kern-icon--${done ? 'success' : 'info'}`} aria-hidden="true" />
        <span class="kern-title">
          {done ? 'Erledigt – zusammen mit einer gleichen Meldung' : 'Zusammen mit einer gleichen Meldung in Arbeit'}
        </span>
      </div>
      <div class="kern-alert__body">
        <p class="kern-body">
          Jemand hatte dasselbe schon gemeldet. Damit nichts doppelt bearbeitet wird, haben wir Ihre Meldung mit der Meldung{' '}
          <strong class="code">{target.number}</strong> zusammengeführt. Sie bleiben dabei: Wenn sie erledigt ist, sagen wir Ihnen Bescheid.
        </p>
        <p class="kern-body">
          Stand dort: <strong>{publicStatusLabels[publicStatusOf(target.status, target.mergedIntoId !== null)]}</strong>
          {done && target.closedAt ? ` (seit ${dateTime.format(target.closedAt)})` : ''}
          {target.teamName ? ` · zuständig: ${target.teamName}` : ''}
        </p>
      </div>
    </div>
  );
}
