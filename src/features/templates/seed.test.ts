import { describe, expect, it } from 'vitest';
import { demoTeams } from '../admin/seed/musterstadt-data.ts';
import { TEXT_MAX } from '../cases/forms.ts';
import { unknownVariables } from './render.ts';
import { TITLE_MAX } from './schemas.ts';
import { demoTemplates } from './seed.ts';

describe('demo Textbausteine', () => {
  it('use only known placeholders, fit the form limits and name existing teams', () => {
    const slugs = new Set<string>(demoTeams.map((t) => t.slug));
    for (const t of demoTemplates) {
      expect(unknownVariables(t.body), t.title).toEqual([]);
      expect(t.title.length).toBeLessThanOrEqual(TITLE_MAX);
      expect(t.body.length).toBeLessThanOrEqual(TEXT_MAX);
      if (t.team) expect(slugs.has(t.team), t.team).toBe(true);
    }
    expect(demoTemplates.length).toBeGreaterThanOrEqual(6);
    const keys = demoTemplates.map((t) => `${t.team}:${t.title.toLowerCase()}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
