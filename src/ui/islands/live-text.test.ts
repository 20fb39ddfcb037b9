import { describe, expect, it } from 'vitest';
import { caseNotice, inboxNotice, insertedNotice, type LiveEvent } from './live-text.ts';

const event = (over: Partial<LiveEvent>): LiveEvent => ({
  number: '2026-00012',
  by: 'Lea Leitstelle',
  actor: 'staff',
  self: false,
  created: false,
  ...over,
});

describe('live notice sentences', () => {
  it('names staff, the citizen and automatic steps in correct German', () => {
    expect(caseNotice(event({}))).toBe('Dieses Anliegen wurde gerade von Lea Leitstelle geändert.');
    expect(caseNotice(event({ actor: 'citizen', by: 'Bürger/in' }))).toBe(
      'Dieses Anliegen wurde gerade von der Bürgerin oder dem Bürger geändert.',
    );
    expect(caseNotice(event({ actor: 'automatic', by: 'Regel „Laternen“' }))).toBe(
      'Dieses Anliegen wurde gerade automatisch geändert (Regel „Laternen“).',
    );
    expect(caseNotice(event({ self: true }))).toBe('Dieses Anliegen wurde gerade von Ihnen in einem anderen Fenster geändert.');
    for (const actor of ['citizen', 'automatic'] as const)
      expect(caseNotice(event({ actor, by: 'Bürger/in' }))).not.toContain('von Bürger/in');
  });

  it('counts what the inbox could not show in place', () => {
    expect(inboxNotice(1, 1)).toBe('1 neues Anliegen.');
    expect(inboxNotice(3, 3)).toBe('3 neue Anliegen.');
    expect(inboxNotice(1, 0)).toBe('1 neues oder geändertes Anliegen.');
    expect(inboxNotice(2, 1)).toBe('2 neue oder geänderte Anliegen.');
    expect(insertedNotice('2026-00012')).toBe('Neues Anliegen 2026-00012 oben in der Liste eingefügt.');
  });
});
