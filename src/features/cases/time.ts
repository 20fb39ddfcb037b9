/**
 * "vor 3 Std.": how old something is, in the short German form an inbox shows at a glance.
 * The exact time goes into a <time> title beside it.
 */
export function relativeAge(from: Date, now: Date): string {
  const seconds = Math.max(0, Math.round((now.getTime() - from.getTime()) / 1000));
  if (seconds < 60) return 'gerade eben';
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `vor ${minutes} Min.`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `vor ${hours} Std.`;
  const days = Math.floor(hours / 24);
  if (days === 1) return 'vor 1 Tag';
  if (days < 30) return `vor ${days} Tagen`;
  const months = Math.floor(days / 30);
  if (months < 12) return months === 1 ? 'vor 1 Monat' : `vor ${months} Monaten`;
  const years = Math.floor(days / 365);
  return years <= 1 ? 'vor 1 Jahr' : `vor ${years} Jahren`;
}

const dateTime = new Intl.DateTimeFormat('de-DE', {
  timeZone: 'Europe/Berlin',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

/** "05.03.2026, 14:07" in the town's time zone (the server may run in UTC). */
export function formatDateTime(d: Date): string {
  return dateTime.format(d);
}

const dateOnly = new Intl.DateTimeFormat('de-DE', { timeZone: 'Europe/Berlin', day: '2-digit', month: '2-digit', year: 'numeric' });

/** "05.03.2026" in the town's time zone. */
export function formatDate(d: Date): string {
  return dateOnly.format(d);
}
