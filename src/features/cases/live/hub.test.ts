import { describe, expect, it } from 'vitest';
import { type LiveEvent, LiveHub, MAX_CONNECTIONS_PER_USER } from './hub.ts';

function connection(viewer: { id: number; role: 'admin' | 'staff'; teamIds: number[] }, caseId: number | null = null) {
  const got: LiveEvent[] = [];
  let closed = false;
  return { got, isClosed: () => closed, conn: { viewer, caseId, send: (e: LiveEvent) => got.push(e), close: () => (closed = true) } };
}

const change = { actorUserId: 1, actorLabel: 'Lea Leitstelle', created: false };

describe('LiveHub', () => {
  it('sends inbox events only for cases the viewer may see, and case-page events only for that case', () => {
    const hub = new LiveHub();
    const leit = connection({ id: 1, role: 'staff', teamIds: [10] });
    const tief = connection({ id: 2, role: 'staff', teamIds: [20] });
    const admin = connection({ id: 3, role: 'admin', teamIds: [] });
    const onCase = connection({ id: 2, role: 'staff', teamIds: [20] }, 99);
    for (const c of [leit, tief, admin, onCase]) hub.add(c.conn);

    expect(hub.dispatch({ id: 5, number: '2026-00005', teamId: 10 }, change)).toBe(2);
    expect(leit.got).toEqual([{ number: '2026-00005', by: 'Lea Leitstelle', actor: 'staff', self: true, created: false }]);
    expect(tief.got).toEqual([]);
    expect(admin.got).toHaveLength(1);
    expect(onCase.got).toEqual([]);

    // Triage (no team) is everybody's; the case page hears its case even in another team.
    hub.dispatch({ id: 6, number: '2026-00006', teamId: null }, { ...change, created: true });
    expect(tief.got.map((e) => e.number)).toEqual(['2026-00006']);
    hub.dispatch({ id: 99, number: '2026-00099', teamId: 10 }, change);
    expect(onCase.got.map((e) => [e.number, e.self])).toEqual([['2026-00099', false]]);
  });

  it('tells the inboxes of the team a case left, once, and nobody else a second time', () => {
    const hub = new LiveHub();
    const leit = connection({ id: 1, role: 'staff', teamIds: [10] });
    const tief = connection({ id: 2, role: 'staff', teamIds: [20] });
    const both = connection({ id: 4, role: 'staff', teamIds: [10, 20] });
    const admin = connection({ id: 3, role: 'admin', teamIds: [] });
    const onCase = connection({ id: 1, role: 'staff', teamIds: [10] }, 5);
    for (const c of [leit, tief, both, admin, onCase]) hub.add(c.conn);

    // The case moved from team 10 to 20: the ordinary notice and the "moved from" one arrive.
    const kase = { id: 5, number: '2026-00005', teamId: 20 };
    hub.dispatch(kase, change);
    hub.dispatch(kase, { ...change, movedFromTeamId: 10 });
    expect(leit.got.map((e) => e.number)).toEqual(['2026-00005']);
    expect(tief.got).toHaveLength(1);
    expect(both.got).toHaveLength(1);
    expect(admin.got).toHaveLength(1);
    expect(onCase.got).toHaveLength(1);
  });

  it('says whether a person on staff, the citizen or an automatic step made the change', () => {
    const hub = new LiveHub();
    const onCase = connection({ id: 1, role: 'staff', teamIds: [10] }, 5);
    hub.add(onCase.conn);
    const kase = { id: 5, number: '2026-00005', teamId: 10 };
    hub.dispatch(kase, { actorUserId: null, actorLabel: 'Bürger/in', created: false });
    hub.dispatch(kase, { actorUserId: null, actorLabel: 'Regel „Schlaglöcher“', created: false });
    hub.dispatch(kase, { actorUserId: 2, actorLabel: 'Carl Kollege', created: false });
    expect(onCase.got.map((e) => [e.actor, e.by])).toEqual([
      ['citizen', 'Bürger/in'],
      ['automatic', 'Regel „Schlaglöcher“'],
      ['staff', 'Carl Kollege'],
    ]);
  });

  it('limits streams per user and forgets removed ones', () => {
    const hub = new LiveHub();
    const ids = Array.from({ length: MAX_CONNECTIONS_PER_USER }, () => hub.add(connection({ id: 7, role: 'staff', teamIds: [] }).conn));
    expect(ids.every((id) => id !== null)).toBe(true);
    expect(hub.add(connection({ id: 7, role: 'staff', teamIds: [] }).conn)).toBeNull();
    expect(hub.add(connection({ id: 8, role: 'staff', teamIds: [] }).conn)).not.toBeNull();
    hub.remove(ids[0] as number);
    expect(hub.add(connection({ id: 7, role: 'staff', teamIds: [] }).conn)).not.toBeNull();
  });

  it('closes the streams of one user when their access changed, and only theirs', () => {
    const hub = new LiveHub();
    const a = connection({ id: 1, role: 'staff', teamIds: [10] });
    const a2 = connection({ id: 1, role: 'staff', teamIds: [10] }, 5);
    const b = connection({ id: 2, role: 'staff', teamIds: [10] });
    for (const c of [a, a2, b]) hub.add(c.conn);
    expect(hub.closeFor(1)).toBe(2);
    expect([a.isClosed(), a2.isClosed(), b.isClosed()]).toEqual([true, true, false]);
    expect(hub.size).toBe(1);
    expect(hub.dispatch({ id: 5, number: '2026-00005', teamId: 10 }, change)).toBe(1);
  });

  it('closes every stream on shutdown', () => {
    const hub = new LiveHub();
    const a = connection({ id: 1, role: 'staff', teamIds: [] });
    hub.add(a.conn);
    hub.closeAll();
    expect(a.isClosed()).toBe(true);
    expect(hub.size).toBe(0);
  });
});
