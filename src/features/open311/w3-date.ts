/**
 * W3C date-time in Berlin time with its offset ("2026-12-01T09:30:00+01:00"), as German Open311
 * servers (Köln, Bonn) answer. Written for speed: a list answer formats two dates per request row,
 * and luxon's zone formatting cost 37 µs a date (20 ms for 270 rows). The offset is looked up once
 * per UTC hour (Berlin changes it only on a full hour) and cached; the rest is arithmetic.
 */
const offsetName = new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Berlin', timeZoneName: 'longOffset' });
const HOUR_MS = 3_600_000;
const offsets = new Map<number, number>();

function berlinOffsetMinutes(ms: number): number {
  const hour = Math.floor(ms / HOUR_MS);
  const cached = offsets.get(hour);
  if (cached !== undefined) return cached;
  const name = offsetName.formatToParts(new Date(hour * HOUR_MS)).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  const minutes = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
  if (offsets.size > 50_000) offsets.clear();
  offsets.set(hour, minutes);
  return minutes;
}

const pad = (n: number) => String(n).padStart(2, '0');

export function w3(d: Date): string {
  const offset = berlinOffsetMinutes(d.getTime());
  const local = new Date(d.getTime() + offset * 60_000);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return (
    `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}` +
    `T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}` +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}
