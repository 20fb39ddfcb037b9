import { randomUUID } from 'node:crypto';
import { PUBLIC_COLLECTION } from '@fedify/vocab';
import type { Tx } from '../../../infra/db.ts';
import { fediverseNotes } from '../../../infra/schema/index.ts';

const DAY = 24 * 60 * 60 * 1000;

/** A few public posts of the demo town's actor, so its outbox is not empty when someone looks it up. */
export async function seedFediverseNotes(tx: Tx, now: Date): Promise<void> {
  const posts = [
    [6, 'Der Wochenmarkt findet am Samstag wegen des Stadtfests auf dem Kirchplatz statt.'],
    [3, 'Ab Montag ist die Gartenstraße zwischen Nr. 4 und Nr. 20 wegen Kanalarbeiten gesperrt. Die Umleitung ist ausgeschildert.'],
    [1, 'Eine kaputte Laterne, ein voller Mülleimer? Schreiben Sie uns hier eine Nachricht, wir kümmern uns darum.'],
  ] as const;
  await tx.insert(fediverseNotes).values(
    posts.map(([daysAgo, text]) => ({
      uuid: randomUUID(),
      contentHtml: `<p>${text}</p>`,
      to: [PUBLIC_COLLECTION.href],
      // The followers collection is named when the Note is served; the demo has none yet.
      cc: [],
      publishedAt: new Date(now.getTime() - daysAgo * DAY),
    })),
  );
}
