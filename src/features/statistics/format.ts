import { DateTime } from 'luxon';

/** "2026-11" → "Nov. 26" (chart axis) or "November 2026" (tables, CSV). */
export function monthLabel(key: string, style: 'short' | 'long'): string {
  const d = DateTime.fromFormat(key, 'yyyy-MM', { locale: 'de' });
  if (!d.isValid) return key;
  return style === 'short' ? d.toFormat('LLL yy') : d.toFormat('LLLL yyyy');
}

const oneDecimal = new Intl.NumberFormat('de-DE', { maximumFractionDigits: 1, minimumFractionDigits: 0 });
const percent = new Intl.NumberFormat('de-DE', { style: 'percent', maximumFractionDigits: 0 });

/** Hours as people say them: "45 Minuten", "5,5 Stunden", "3,2 Tage". */
export function duration(hours: number): string {
  if (hours < 1) return `${Math.max(1, Math.round(hours * 60))} Minuten`;
  if (hours < 48) return `${oneDecimal.format(hours)} Stunden`;
  return `${oneDecimal.format(hours / 24)} Tage`;
}

export function share(value: number): string {
  return percent.format(value);
}
