import { describe, expect, it } from 'vitest';
import type { NewCaseDecision } from './apply.ts';
import { acknowledgementBody } from './effects.ts';

const decision = (template: string) =>
  ({
    acknowledgement: { template, ruleName: 'Schlaglöcher' },
    names: { team: 'Tiefbauamt', category: 'Schlagloch / Straßenschaden' },
  }) as NewCaseDecision;

describe("a rule's own confirmation", () => {
  it('fills {{frist}} with the new case’s resolution deadline, and says "bald" without one', () => {
    const c = { number: '2026-00042', reporterName: 'Erika' };
    const text = 'Danke, {{name}}! {{team}} kümmert sich um {{vorgang}} ({{kategorie}}) bis {{frist}}.';
    expect(acknowledgementBody(decision(text), c, new Date('2026-12-03T15:00:00Z'))).toBe(
      'Danke, Erika! Tiefbauamt kümmert sich um 2026-00042 (Schlagloch / Straßenschaden) bis 03.12.2026.',
    );
    expect(acknowledgementBody(decision(text), c, null)).toContain('bis bald.');
    expect(acknowledgementBody({ ...decision(text), acknowledgement: null }, c, null)).toBeUndefined();
  });
});
