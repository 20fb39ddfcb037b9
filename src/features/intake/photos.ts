import exifr from 'exifr';
import sharp, { type Metadata, type Sharp } from 'sharp';
import { invalid } from '../../infra/errors.ts';
import type { Logger } from '../../infra/log.ts';
import type { Storage } from '../../infra/storage.ts';
import type { StoredPhoto } from './inbound.ts';

// Each photo is decoded once, so libvips' operation cache (by default up to 50 MB and 100 files)
// only keeps memory; one libvips thread per image keeps a burst of uploads from multiplying the
// decode buffers on a small server (photos are few next to text reports).
sharp.cache(false);
sharp.concurrency(1);

/**
 * Citizen photos: the real type comes from the bytes (never the file name or the browser's
 * mimetype), the GPS position is read before re-encoding, and re-encoding drops every EXIF, GPS
 * and XMP field, so nothing personal the camera wrote ends up stored or shown.
 */
export const PHOTO_LIMITS = {
  /** Longest edge of the stored photo; enough to zoom into a pothole, small enough to load fast. */
  maxEdge: 2560,
  thumbEdge: 480,
  /** Decompression-bomb guard: a few KB of PNG can claim gigapixels. 100 MP covers every phone camera. */
  maxInputPixels: 100_000_000,
} as const;

/** The photo types citizens may send on every channel (HEIC is read when the codec allows it). */
export const ACCEPTED_PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/heic', 'image/heif'] as const;
export type AcceptedPhotoType = (typeof ACCEPTED_PHOTO_TYPES)[number];

/**
 * The accepted photo type by the first bytes, or null: lets a channel sort files into photos
 * before sharp decodes them, without trusting a file name or a declared type.
 */
export function detectPhotoType(data: Buffer): AcceptedPhotoType | null {
  if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'image/jpeg';
  if (data.length >= 8 && data.toString('latin1', 0, 8) === '\x89PNG\r\n\x1a\n') return 'image/png';
  if (data.length >= 12 && data.toString('latin1', 0, 4) === 'RIFF' && data.toString('latin1', 8, 12) === 'WEBP') return 'image/webp';
  if (looksLikeHeif(data)) return 'image/heic';
  return null;
}

export interface GpsPoint {
  lat: number;
  lon: number;
}

export interface ProcessedPhoto {
  full: Buffer;
  thumb: Buffer;
  mimeType: StoredPhoto['mimeType'];
  extension: 'jpg' | 'png' | 'webp';
  width: number;
  height: number;
  gps: GpsPoint | null;
}

export const HEIC_MESSAGE =
  'Dieses HEIC-Foto können wir nicht lesen. Bitte als JPEG senden (iPhone: Einstellungen → Kamera → Formate → Maximale Kompatibilität).';

const photoLabel = (index: number) => `Foto ${index + 1}`;

/** An error message that the form shows beside the photo field (field name `photos`). */
const photoError = (message: string) => invalid(message, { photos: message });

/** HEIF/HEIC files start with an ISO-BMFF `ftyp` box whose brand names the codec family. */
function looksLikeHeif(data: Buffer): boolean {
  if (data.length < 12 || data.toString('latin1', 4, 8) !== 'ftyp') return false;
  return ['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1', 'avif'].includes(data.toString('latin1', 8, 12));
}

async function readGps(data: Buffer): Promise<GpsPoint | null> {
  try {
    const gps = await exifr.gps(data);
    const lat = gps?.latitude;
    const lon = gps?.longitude;
    if (typeof lat !== 'number' || typeof lon !== 'number' || !Number.isFinite(lat) || !Number.isFinite(lon)) return null;
    if (Math.abs(lat) > 90 || Math.abs(lon) > 180 || (lat === 0 && lon === 0)) return null;
    return { lat, lon };
  } catch {
    // A photo without readable EXIF is normal (screenshots, messengers strip it): no location then.
    return null;
  }
}

/** Checks, reads GPS from and re-encodes one uploaded photo. Throws Invalid with a German message. */
export async function processPhoto(
  data: Buffer,
  index = 0,
  limits: Partial<Record<keyof typeof PHOTO_LIMITS, number>> = {},
): Promise<ProcessedPhoto> {
  const { maxEdge, thumbEdge, maxInputPixels } = { ...PHOTO_LIMITS, ...limits };
  const label = photoLabel(index);
  const heif = looksLikeHeif(data);
  const open = () => sharp(data, { limitInputPixels: maxInputPixels, failOn: 'error' });

  let meta: Metadata;
  try {
    meta = await open().metadata();
  } catch (err) {
    if (/pixel limit/i.test((err as Error).message)) throw photoError(`${label} hat zu viele Bildpunkte. Bitte verkleinern Sie es.`);
    if (heif) throw photoError(`${label}: ${HEIC_MESSAGE}`);
    throw photoError(`${label} ist kein Bild, das wir lesen können. Bitte wählen Sie ein Foto (JPEG, PNG, WebP oder HEIC).`);
  }
  if ((meta.width ?? 0) * (meta.height ?? 0) > maxInputPixels) {
    throw photoError(`${label} hat zu viele Bildpunkte. Bitte verkleinern Sie es.`);
  }
  if (meta.format === 'heif' && meta.compression === 'hevc') throw photoError(`${label}: ${HEIC_MESSAGE}`);
  const target = targetFormat(meta.format);
  if (!target) {
    throw photoError(`${label} ist kein Bild in einem unterstützten Format. Bitte senden Sie JPEG, PNG, WebP oder HEIC.`);
  }

  const gps = await readGps(data);
  try {
    // rotate() applies the EXIF orientation; sharp writes no metadata unless asked, so EXIF/GPS/XMP go.
    const encode = (img: Sharp) =>
      target.extension === 'png' ? img.png({ compressionLevel: 9 }) : img.jpeg({ quality: 82, mozjpeg: true });
    const { data: full, info } = await encode(
      open().rotate().resize({ width: maxEdge, height: maxEdge, fit: 'inside', withoutEnlargement: true }),
    ).toBuffer({ resolveWithObject: true });
    const thumb = await encode(
      sharp(full).resize({ width: thumbEdge, height: thumbEdge, fit: 'inside', withoutEnlargement: true }),
    ).toBuffer();
    return { full, thumb, ...target, width: info.width, height: info.height, gps };
  } catch {
    if (meta.format === 'heif') throw photoError(`${label}: ${HEIC_MESSAGE}`);
    throw photoError(`${label} ist beschädigt oder unvollständig. Bitte wählen Sie es noch einmal aus.`);
  }
}

/** JPEG stays JPEG and PNG stays PNG; WebP and HEIC become JPEG, which every mail client shows. */
function targetFormat(format: string | undefined): Pick<ProcessedPhoto, 'mimeType' | 'extension'> | null {
  switch (format) {
    case 'jpeg':
    case 'webp':
    case 'heif':
      return { mimeType: 'image/jpeg', extension: 'jpg' };
    case 'png':
      return { mimeType: 'image/png', extension: 'png' };
    default:
      return null;
  }
}

/**
 * Processes all photos first and stores them only when every one is fine, so a bad third photo
 * leaves no files of the first two behind. The first GPS position found is offered as the location.
 */
export async function processAndStorePhotos(storage: Storage, uploads: Buffer[]): Promise<{ photos: StoredPhoto[]; gps: GpsPoint | null }> {
  const processed: ProcessedPhoto[] = [];
  for (const [i, data] of uploads.entries()) processed.push(await processPhoto(data, i));
  const photos: StoredPhoto[] = [];
  try {
    for (const p of processed) {
      const storageKey = await storage.put(p.full, p.extension);
      const thumbKey = await storage.put(p.thumb, p.extension).catch(async (err) => {
        await storage.remove(storageKey).catch(() => {});
        throw err;
      });
      photos.push({ storageKey, thumbKey, mimeType: p.mimeType, width: p.width, height: p.height, bytes: p.full.length });
    }
  } catch (err) {
    await removeStoredPhotos({ storage }, photos);
    throw err;
  }
  return { photos, gps: processed.find((p) => p.gps)?.gps ?? null };
}

/**
 * Deletes stored photos with their thumbnails. A file that will not go is logged, not thrown: the
 * rows are already gone, and an orphan file is better than a failed request.
 */
export async function removeStoredPhotos(
  deps: { storage: Storage; log?: Logger },
  photos: readonly { storageKey: string; thumbKey: string | null }[],
): Promise<void> {
  for (const p of photos) {
    for (const key of [p.storageKey, p.thumbKey]) {
      if (!key) continue;
      await deps.storage.remove(key).catch((err) => deps.log?.warn({ err, key }, 'photo cleanup failed'));
    }
  }
}
