/** Due times as staff read them: weekday, date and time in the town's zone. */
const dueFormat = new Intl.DateTimeFormat('de-DE', {
  weekday: 'short',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'Europe/Berlin',
});

export const formatDue = (d: Date) => `${dueFormat.format(d)} Uhr`;
