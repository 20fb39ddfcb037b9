import type { PublicStatus } from '../../../infra/schema/index.ts';
import { publicStatusLabels } from '../../transparency/projection/read.ts';

const dayFormat = new Intl.DateTimeFormat('de-DE', { dateStyle: 'medium', timeZone: 'Europe/Berlin' });

/** The public status in its one German word (read.ts publicStatusLabels), the same on list, map and case page. */
export function PublicStatusBadge({ status }: { status: PublicStatus }) {
  return <strong class={`public-status public-status--${status}`}>{publicStatusLabels[status]}</strong>;
}

/** A date without the time: the public sees the day a report came in, not the minute. */
export function ReportedDay({ at }: { at: Date }) {
  return <time dateTime={at.toISOString()}>{dayFormat.format(at)}</time>;
}
