import { deleteThrottle, deleteThrottlesOfUser } from '../auth/throttle-queries.ts';
import type { AdminActor, AdminDeps } from './users-service.ts';

/**
 * Lifting a sign-in throttle forgets its failures. The log names user ids and the counter's id,
 * never an e-mail or a client address (the counters hold neither in clear).
 */
export async function liftThrottle(deps: AdminDeps, actor: AdminActor, id: number): Promise<void> {
  const lifted = await deleteThrottle(deps.db, id);
  if (lifted) deps.log.info({ actor: actor?.userId ?? 'cli', throttleId: id, userId: lifted.userId }, 'sign-in throttle lifted');
}

export async function liftThrottlesOfUser(deps: AdminDeps, actor: AdminActor, userId: number): Promise<void> {
  const counters = await deleteThrottlesOfUser(deps.db, userId);
  deps.log.info({ actor: actor?.userId ?? 'cli', userId, counters }, 'sign-in throttle lifted');
}
