const date = new Intl.DateTimeFormat('de-DE', { dateStyle: 'medium', timeZone: 'Europe/Berlin' });

export const formatDate = (d: Date) => date.format(d);

/** GPS and pins are good to a few metres; "etwa 20 m" says what we know. */
export function formatDistance(m: number): string {
  if (m < 5) return 'direkt daneben (unter 5 m)';
  const rounded = m < 100 ? Math.round(m / 5) * 5 : Math.round(m / 10) * 10;
  return `etwa ${rounded} m entfernt`;
}

export const formatPercent = (x: number) => `${Math.round(x * 100)} %`;
