import { describe, expect, it } from 'vitest';
import { AppError } from '../../infra/errors.ts';
import { statusChange } from './service.ts';

describe('statusChange', () => {
  const now = new Date('2026-03-10T12:00:00Z');
  it('closing stamps closed_at', () => {
    expect(statusChange('in_progress', 'resolved', now)).toEqual({ status: 'resolved', closedAt: now });
  });
  it('reopening clears closed_at', () => {
    expect(statusChange('resolved', 'in_progress', now)).toEqual({ status: 'in_progress', closedAt: null });
  });
  it('a move between open states leaves closed_at alone', () => {
    expect(statusChange('new', 'in_progress', now)).toEqual({ status: 'in_progress' });
  });
  it('refuses a move not in statusTransitions with a German field message', () => {
    try {
      statusChange('resolved', 'rejected', now);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe('Invalid');
      expect((err as AppError).fields.status).toContain('„erledigt“');
    }
  });
  it('no move is no change', () => {
    expect(statusChange('new', 'new', now)).toEqual({});
  });
  it('keeps a merged case closed: reopening it is refused, a closing move is not', () => {
    expect(() => statusChange('forwarded', 'in_progress', now, true)).toThrow(/zusammengeführt/);
    expect(statusChange('forwarded', 'in_progress', now, false)).toEqual({ status: 'in_progress', closedAt: null });
  });
});
