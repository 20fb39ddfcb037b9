import { describe, expect, it } from 'vitest';
import { describeHistory } from './history.ts';

const names = { teams: new Map([[3, 'Tiefbauamt']]), categories: new Map([[5, 'Straßenbeleuchtung']]) };
const at = new Date('2026-05-01T10:00:00Z');
const ev = (id: number, action: string, details: unknown) => ({ id, action, details, createdAt: at });

describe('describeHistory', () => {
  it('turns audit events into citizen-friendly lines that name teams, not people', () => {
    const lines = describeHistory(
      [
        ev(1, 'created', { channel: 'web' }),
        ev(2, 'routed', { teamId: 3, reason: 'Kategorie „Straßenbeleuchtung“ gehört zu Tiefbauamt' }),
        ev(3, 'status_changed', { from: 'new', to: 'resolved' }),
        ev(4, 'team_changed', { from: 'Tiefbauamt', to: 'Stadtwerke' }),
        ev(5, 'category_changed', { from: null, to: 'Straßenbeleuchtung' }),
        ev(6, 'type_changed', { from: null, to: 'idea' }),
        ev(7, 'assigned', { to: 'Petra Geheim' }),
        ev(8, 'note_added', {}),
      ],
      names,
    );
    expect(lines.map((l) => `${l.title} ${l.detail ?? ''}`.trim())).toEqual([
      'Anliegen eingegangen über Webformular',
      'Zugewiesen an Tiefbauamt',
      'Status geändert von „neu“ auf „erledigt“',
      'Weitergegeben an Stadtwerke',
      'Kategorie geändert auf „Straßenbeleuchtung“',
      'Art geändert auf „Idee / Vorschlag“',
    ]);
    expect(JSON.stringify(lines)).not.toContain('Petra');
  });

  it('copes with details it does not understand', () => {
    const lines = describeHistory(
      [ev(1, 'status_changed', { to: 'weird' }), ev(2, 'routed', null), ev(3, 'team_changed', { to: null })],
      names,
    );
    expect(lines.map((l) => l.detail)).toEqual([null, 'zur Klärung', 'zur Klärung']);
  });
});
