import { randomBytes } from 'node:crypto';
import { cases } from '../../src/infra/schema/index.ts';
import type { TestContext } from './context.ts';
import type { seedBasics } from './fixtures.ts';

export const lampTexts = ['Laterne dunkel', 'Straßenlampe brennt nicht', 'Die Leuchte ist aus', 'Laterne Nr. 4 defekt', 'Lampe flackert'];
const litterTexts = ['Sperrmüll abgestellt', 'Müllsäcke am Weg', 'Matratze entsorgt', 'Abfall im Gebüsch', 'illegaler Müll am Ufer'];

export type Basics = Awaited<ReturnType<typeof seedBasics>>;

let numbered = 0;

/** Closed cases with their final category and team, as staff left them. */
export async function closedCases(ctx: TestContext, basics: Basics, perCategory: number) {
  const rows = Array.from({ length: perCategory * 2 }, (_, i) => {
    numbered++;
    const lamp = i % 2 === 0;
    const texts = lamp ? lampTexts : litterTexts;
    return {
      number: `2026-9${String(numbered).padStart(4, '0')}`,
      trackingToken: randomBytes(12).toString('hex'),
      channel: 'web' as const,
      type: 'defect' as const,
      categoryId: lamp ? basics.categories.streetLight.id : basics.categories.litter.id,
      teamId: lamp ? basics.teams.tiefbau.id : basics.teams.leitstelle.id,
      status: 'resolved' as const,
      description: `${texts[i % texts.length]} ${i % 3 === 0 ? 'seit gestern' : 'bitte kümmern'}`,
      lat: 47.66 + (i % 7) * 0.001,
      lon: 9.17,
      closedAt: new Date(),
    };
  });
  await ctx.db.insert(cases).values(rows);
}
