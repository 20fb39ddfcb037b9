import type { CaseStatus } from '../../../infra/schema/index.ts';
import { type SlaState, slaState, slaStateLabels } from '../case-clock.ts';
import type { InboxDue } from '../inbox-due.ts';
import { formatDue } from './format.ts';

const badgeKind: Record<SlaState, 'danger' | 'warning' | 'success' | 'info'> = {
  overdue: 'danger',
  missed: 'danger',
  soon: 'warning',
  ok: 'success',
  met: 'success',
  paused: 'info',
};

const shortFormat = new Intl.DateTimeFormat('de-DE', {
  weekday: 'short',
  day: '2-digit',
  month: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'Europe/Berlin',
});

/** The state in words (never colour alone) with the KERN badge colour beside it. */
export function SlaBadge({ state }: { state: SlaState }) {
  return (
    <span class={`kern-badge kern-badge--${badgeKind[state]}`}>
      <span class="kern-label">{slaStateLabels[state]}</span>
    </span>
  );
}

/** The inbox cell "Fällig": state and, while the clock runs, the deadline. */
export function DueCell({ due, status, now }: { due: InboxDue | null; status: CaseStatus; now: Date }) {
  if (!due) return <span class="kern-body">ohne Frist</span>;
  const state = slaState(now, { status, ...due });
  return (
    <span class="due-cell">
      <SlaBadge state={state} />
      {due.dueAt && (
        <>
          {' '}
          <time dateTime={due.dueAt.toISOString()} title={formatDue(due.dueAt)}>
            {shortFormat.format(due.dueAt)}
          </time>
        </>
      )}
    </span>
  );
}
