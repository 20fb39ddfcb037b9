import sharp from 'sharp';
import type { Tx } from '../../../infra/db.ts';
import type { PublicationPolicy } from '../../../infra/schema/index.ts';
import type { Storage } from '../../../infra/storage.ts';
import type { StoredPhoto } from '../../intake/inbound.ts';
import { processAndStorePhotos } from '../../intake/photos.ts';
import { AUTO_PUBLISHER } from '../../transparency/publication/decide.ts';
import { publishCase, releasePhoto } from '../../transparency/publication/service.ts';

/**
 * How the demo town publishes: defects of streets, cleanliness and green spaces go public by
 * themselves after 30 minutes; what may concern people (parking, vehicles, ideas, other) waits for
 * a person; noise complaints never (and their house numbers would be masked anyway).
 */
export function demoPolicy(group: string, slug: string): { publication: PublicationPolicy; maskHouseNumbers: boolean } {
  if (slug === 'laerm') return { publication: 'never', maskHouseNumbers: true };
  if (group === 'Straße & Verkehr' || group === 'Sauberkeit' || group === 'Grün') return { publication: 'auto', maskHouseNumbers: false };
  return { publication: 'moderated', maskHouseNumbers: false };
}

/** Every third demo report brings a photo (a drawn stand-in), so the public pages show some. */
export const hasDemoPhoto = (index: number, category: string | null) => index % 3 === 0 && category !== null && category !== 'laerm';

/** A small drawn picture in the category's colour: no real person or place can be on it. */
export async function demoPhoto(storage: Storage, index: number): Promise<StoredPhoto[]> {
  const hue = (index * 47) % 360;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="480">
    <rect width="640" height="480" fill="hsl(${hue}, 25%, 70%)"/>
    <rect y="300" width="640" height="180" fill="hsl(${hue}, 10%, 40%)"/>
    <ellipse cx="${200 + ((index * 37) % 240)}" cy="380" rx="90" ry="35" fill="hsl(${hue}, 15%, 22%)"/>
  </svg>`;
  const image = await sharp(Buffer.from(svg)).png().toBuffer();
  return (await processAndStorePhotos(storage, [image])).photos;
}

/**
 * Publishes most demo reports as staff and the delay would have: all of the "auto" categories'
 * (older than their delay), and two in three of the moderated ones, each with its photos
 * released; "never" categories stay private. Runs after the steps were played, so the public
 * rows show the status each case reached.
 */
export async function publishDemoCases(
  tx: Tx,
  played: { caseId: number; index: number; policy: PublicationPolicy; at: Date; photoIds: number[] }[],
  moderator: { id: number; name: string },
  now: Date,
): Promise<number> {
  let published = 0;
  for (const p of played) {
    if (p.policy === 'never' || (p.policy === 'moderated' && p.index % 3 === 2)) continue;
    if (p.policy === 'auto' && now.getTime() - p.at.getTime() < 30 * 60_000) continue;
    const actor = p.policy === 'auto' ? AUTO_PUBLISHER : { userId: moderator.id, label: moderator.name };
    for (const id of p.photoIds) await releasePhoto(id, true)(tx, p.caseId, actor, now);
    await publishCase(tx, p.caseId, actor, now);
    published++;
  }
  return published;
}
