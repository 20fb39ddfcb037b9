import { describe, expect, it } from 'vitest';
import { caseStatuses } from '../../../infra/schema/index.ts';
import { publicStatusOf, publicSteps, statusWords } from './status.ts';

const at = (minute: number) => new Date(Date.UTC(2026, 2, 2, 9, minute));
const keep = (t: string | null) => t;

describe('publicStatusOf', () => {
  it('maps every internal status to the public words', () => {
    expect(Object.fromEntries(caseStatuses.map((s) => [s, publicStatusOf(s, false)]))).toEqual({
      new: 'new',
      waiting: 'reviewing',
      in_progress: 'in_progress',
      resolved: 'resolved',
      rejected: 'rejected',
      forwarded: 'not_responsible',
    });
  });

  it('a merged case is a duplicate, not "nicht zuständig"', () => {
    expect(publicStatusOf('forwarded', true)).toBe('duplicate');
  });
});

describe('statusWords', () => {
  it('takes where it went from the forwarding step and why from the rejection', () => {
    const forwarded = [{ action: 'status_changed', details: { to: 'forwarded', note: 'Landratsamt' }, createdAt: at(1) }];
    expect(statusWords('forwarded', forwarded)).toEqual({ forwardedTo: 'Landratsamt', note: null });
    const rejected = [{ action: 'status_changed', details: { to: 'rejected', note: ' Privatweg ' }, createdAt: at(1) }];
    expect(statusWords('rejected', rejected)).toEqual({ forwardedTo: null, note: 'Privatweg' });
  });

  it('a public note holds until the next status change', () => {
    const steps = [
      { action: 'status_changed', details: { to: 'in_progress' }, createdAt: at(1) },
      { action: 'public_note', details: { note: 'Teil bestellt' }, createdAt: at(2) },
    ];
    expect(statusWords('in_progress', steps).note).toBe('Teil bestellt');
    const later = [...steps, { action: 'status_changed', details: { to: 'resolved' }, createdAt: at(3) }];
    expect(statusWords('resolved', later).note).toBeNull();
    expect(statusWords('in_progress', [...steps, { action: 'public_note', details: { note: null }, createdAt: at(4) }]).note).toBeNull();
  });
});

describe('publicSteps', () => {
  it('one step per change of the public status, notes as their own steps, merges as duplicate', () => {
    const steps = [
      { action: 'status_changed', details: { from: 'new', to: 'in_progress' }, createdAt: at(1) },
      { action: 'status_changed', details: { from: 'in_progress', to: 'waiting' }, createdAt: at(2) },
      { action: 'public_note', details: { note: 'Wir fragen beim Versorger nach.' }, createdAt: at(3) },
      {
        action: 'status_changed',
        details: { from: 'waiting', to: 'forwarded', reason: 'Zusammengeführt mit 2026-00001' },
        createdAt: at(4),
      },
      { action: 'merged_into', details: { into: '2026-00001' }, createdAt: at(4) },
    ];
    expect(publicSteps(at(0), steps, keep).map((s) => [s.status, s.text])).toEqual([
      ['new', null],
      ['in_progress', null],
      ['reviewing', null],
      ['reviewing', 'Wir fragen beim Versorger nach.'],
      ['duplicate', null],
    ]);
  });

  it('masks the words it shows', () => {
    const steps = [{ action: 'status_changed', details: { to: 'rejected', note: 'Frau X' }, createdAt: at(1) }];
    expect(publicSteps(at(0), steps, (t) => (t ? '[Name entfernt]' : t)).at(-1)).toMatchObject({
      status: 'rejected',
      text: '[Name entfernt]',
    });
  });
});
