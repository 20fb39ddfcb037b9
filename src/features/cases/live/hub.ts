import { canSeeTeam, type Viewer } from '../access.ts';
import { CITIZEN } from '../audit.ts';

/** What a browser learns about a change: enough for a notice, nothing of the case's content. */
export interface LiveEvent {
  number: string;
  by: string;
  /** Who `by` is, so the notice can say it in a German sentence ("von Lea Leitstelle", "von der Bürgerin oder dem Bürger", "automatisch"). */
  actor: 'staff' | 'citizen' | 'automatic';
  /** True when the browser's own user made the change (in another tab, say). */
  self: boolean;
  created: boolean;
}

export interface LiveConnection {
  viewer: Viewer;
  /** Set on a case page: only this case's changes matter there. */
  caseId: number | null;
  send(event: LiveEvent): void;
  close(): void;
}

export const MAX_CONNECTIONS_PER_USER = 6;

/**
 * The open live-update streams of this process. Visibility is decided here, per connection:
 * an inbox hears about cases of the user's teams and triage, and about a case that just left one of
 * them; a case page about its own case, even after it moved to another team (the clerk looking at
 * it should learn that it did).
 */
export class LiveHub {
  readonly #connections = new Map<number, LiveConnection>();
  #nextId = 1;

  get size(): number {
    return this.#connections.size;
  }

  countFor(userId: number): number {
    let n = 0;
    for (const c of this.#connections.values()) if (c.viewer.id === userId) n++;
    return n;
  }

  /** Adds a stream; null when the user has too many open already (a tab storm must not exhaust the server). */
  add(connection: LiveConnection): number | null {
    if (this.countFor(connection.viewer.id) >= MAX_CONNECTIONS_PER_USER) return null;
    const id = this.#nextId++;
    this.#connections.set(id, connection);
    return id;
  }

  remove(id: number): void {
    this.#connections.delete(id);
  }

  dispatch(
    kase: { id: number; number: string; teamId: number | null },
    change: { actorUserId: number | null; actorLabel: string; created: boolean; movedFromTeamId?: number | null | undefined },
  ): number {
    let sent = 0;
    const movedFrom = change.movedFromTeamId;
    for (const c of this.#connections.values()) {
      const relevant =
        movedFrom != null
          ? c.caseId === null && canSeeTeam(c.viewer, movedFrom) && !canSeeTeam(c.viewer, kase.teamId)
          : c.caseId === null
            ? canSeeTeam(c.viewer, kase.teamId)
            : c.caseId === kase.id;
      if (!relevant) continue;
      c.send({
        number: kase.number,
        by: change.actorLabel,
        actor: actorKind(change),
        self: change.actorUserId === c.viewer.id,
        created: change.created,
      });
      sent++;
    }
    return sent;
  }

  /** Ends every stream of one user (their access changed); returns how many. */
  closeFor(userId: number): number {
    let closed = 0;
    for (const [id, c] of this.#connections) {
      if (c.viewer.id !== userId) continue;
      this.#connections.delete(id);
      c.close();
      closed++;
    }
    return closed;
  }

  closeAll(): void {
    for (const [id, c] of this.#connections) {
      this.#connections.delete(id);
      c.close();
    }
  }
}

/** A staff member has a user id; the citizen and the automatic actors (rules, SLA, System) have none. */
function actorKind(change: { actorUserId: number | null; actorLabel: string }): LiveEvent['actor'] {
  if (change.actorUserId !== null) return 'staff';
  return change.actorLabel === CITIZEN.label ? 'citizen' : 'automatic';
}
