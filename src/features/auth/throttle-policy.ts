import type { ThrottleScope } from '../../infra/schema/index.ts';

/**
 * How long a sign-in waits after failures, per counter. There is no hard lock anyone could trigger:
 * every counter only delays the next check, and it grows with the failures that counter saw.
 *
 * - pair (account, client address): the one guessing passwords for one account from one place.
 *   3 failures are free, then 2, 4, 8 … seconds, at most 15 minutes: about 100 guesses a day.
 * - address (all accounts from one client address): against spraying one password over many
 *   accounts. 10 free (an office behind one address mistypes too), then doubling, at most 15 minutes.
 * - account (all addresses): against guessing one account from many addresses. Grows slowly
 *   (5 s more per failure beyond 10) and stops at 60 s, so a stranger can delay the real holder
 *   by a minute at most. A browser the holder signed in with before carries a device cookie
 *   (device.ts) and skips this counter entirely: nobody elsewhere can slow the holder at their
 *   usual device. The pair and address counters still apply to it.
 *
 * While a delay runs, attempts are answered 429 without checking the password and are not counted,
 * so hammering does not make the wait longer. A success clears the pair and account counters (not
 * the address: one valid account must not reset a sprayer's counter). Rows expire 24 h after the
 * last failure.
 */
interface Policy {
  free: number;
  delaySeconds(over: number): number;
  capSeconds: number;
}

export const throttlePolicies: Record<ThrottleScope, Policy> = {
  pair: { free: 3, delaySeconds: (over) => 2 ** over, capSeconds: 15 * 60 },
  address: { free: 10, delaySeconds: (over) => 2 ** over, capSeconds: 15 * 60 },
  account: { free: 10, delaySeconds: (over) => 5 * over, capSeconds: 60 },
};

/** Seconds before the next attempt is checked, after `failures` failures on this counter (0 = none). */
export function delayAfter(scope: ThrottleScope, failures: number): number {
  const policy = throttlePolicies[scope];
  const over = failures - policy.free;
  if (over <= 0) return 0;
  return Math.min(policy.capSeconds, policy.delaySeconds(over));
}

export const THROTTLE_ROW_TTL_MS = 24 * 3600_000;
export const NOTIFY_INTERVAL_MS = 3600_000;

/** "45 Sekunden", "1 Minute", "15 Minuten": how a wait reads on the sign-in page and in mails. */
export function formatWait(seconds: number): string {
  const s = Math.max(1, Math.ceil(seconds));
  if (s < 60) return `${s} ${s === 1 ? 'Sekunde' : 'Sekunden'}`;
  const m = Math.ceil(s / 60);
  return `${m} ${m === 1 ? 'Minute' : 'Minuten'}`;
}
