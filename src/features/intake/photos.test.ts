import { mkdtempSync, rmSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import exifr from 'exifr';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../../infra/errors.ts';
import { fileStorage } from '../../infra/storage.ts';
import { detectPhotoType, HEIC_MESSAGE, processAndStorePhotos, processPhoto } from './photos.ts';

const blank = (width: number, height: number) => sharp({ create: { width, height, channels: 3, background: '#4a8' } });

async function jpegWithGpsAndOrientation(): Promise<Buffer> {
  return blank(300, 100)
    .jpeg()
    .withMetadata({ orientation: 6 })
    .withExif({
      IFD0: { Copyright: 'Erika Mustermann', Make: 'Telefon' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '47/1 39/1 4800/100', GPSLongitudeRef: 'E', GPSLongitude: '9/1 10/1 3000/100' },
    })
    .toBuffer();
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(err instanceof AppError)) throw new Error(`expected an AppError, got ${String(err)}`);
  return err;
}

describe('processPhoto', () => {
  it('reads the GPS position, applies the orientation and drops every metadata field', async () => {
    const input = await jpegWithGpsAndOrientation();
    expect(await exifr.gps(input)).toBeTruthy();
    const out = await processPhoto(input);
    expect(out.gps?.lat).toBeCloseTo(47.66333, 4);
    expect(out.gps?.lon).toBeCloseTo(9.175, 4);
    expect(out.mimeType).toBe('image/jpeg');
    expect(out.extension).toBe('jpg');
    // Orientation 6 means "rotate 90°": the stored image is upright, portrait.
    expect([out.width, out.height]).toEqual([100, 300]);
    for (const buffer of [out.full, out.thumb]) {
      const meta = await sharp(buffer).metadata();
      expect(meta.exif).toBeUndefined();
      expect(meta.xmp).toBeUndefined();
      expect(meta.orientation ?? 1).toBe(1);
      expect(await exifr.gps(buffer).catch(() => undefined)).toBeUndefined();
    }
  });

  it('keeps PNG as PNG, turns WebP into JPEG and limits the edges', async () => {
    const png = await processPhoto(await blank(3000, 1000).png().toBuffer());
    expect(png.mimeType).toBe('image/png');
    expect((await sharp(png.full).metadata()).format).toBe('png');
    expect([png.width, png.height]).toEqual([2560, 853]);
    expect((await sharp(png.thumb).metadata()).width).toBe(480);
    expect(png.gps).toBeNull();

    const webp = await processPhoto(await blank(50, 40).webp().toBuffer());
    expect(webp.mimeType).toBe('image/jpeg');
    expect((await sharp(webp.full).metadata()).format).toBe('jpeg');
    expect([webp.width, webp.height]).toEqual([50, 40]);
  });

  it('reads AVIF-coded HEIF, which the bundled libheif decodes', async () => {
    const heif = await blank(32, 32).heif({ compression: 'av1' }).toBuffer();
    const out = await processPhoto(heif);
    expect(out.mimeType).toBe('image/jpeg');
  });

  it('rejects a text file named like a photo, naming its position', async () => {
    const err = await rejection(processPhoto(Buffer.from('Hallo, ich bin kein Bild.'), 1));
    expect(err.code).toBe('Invalid');
    expect(err.fields.photos).toContain('Foto 2 ist kein Bild');
  });

  it('explains how to send an HEVC HEIC from an iPhone', async () => {
    // ISO-BMFF header with the `heic` brand, followed by garbage the decoder cannot read.
    const fake = Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypheic\0\0\0\0mif1heic'), Buffer.alloc(64, 7)]);
    const err = await rejection(processPhoto(fake));
    expect(err.fields.photos).toContain(HEIC_MESSAGE);
    expect(err.fields.photos).toContain('Maximale Kompatibilität');
  });

  it('rejects a decompression bomb by its pixel count before decoding it', async () => {
    const big = await blank(2000, 2000).png().toBuffer();
    const err = await rejection(processPhoto(big, 0, { maxInputPixels: 1_000_000 }));
    expect(err.fields.photos).toContain('zu viele Bildpunkte');
  });
});

describe('processAndStorePhotos', () => {
  const root = mkdtempSync(join(tmpdir(), 'photos-test-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('stores photo and thumbnail, and stores nothing when one photo of several is bad', async () => {
    const storage = fileStorage(root);
    const good = await blank(40, 40).jpeg().toBuffer();
    const { photos, gps } = await processAndStorePhotos(storage, [good, await jpegWithGpsAndOrientation()]);
    expect(photos).toHaveLength(2);
    expect(gps?.lat).toBeCloseTo(47.66333, 4);
    expect((await sharp(await storage.get(photos[0]?.thumbKey ?? '')).metadata()).format).toBe('jpeg');

    const countFiles = async () => (await readdir(root, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).length;
    const before = await countFiles();
    await expect(processAndStorePhotos(storage, [good, Buffer.from('kein Bild')])).rejects.toThrow(/Foto 2/);
    expect(await countFiles()).toBe(before);
  });
});

describe('detectPhotoType', () => {
  it('knows JPEG, PNG and WebP by their bytes, not by anything declared', async () => {
    expect(detectPhotoType(await blank(4, 4).jpeg().toBuffer())).toBe('image/jpeg');
    expect(detectPhotoType(await blank(4, 4).png().toBuffer())).toBe('image/png');
    expect(detectPhotoType(await blank(4, 4).webp().toBuffer())).toBe('image/webp');
    expect(detectPhotoType(Buffer.from('MZ\x90\x00 not a photo'))).toBeNull();
    expect(detectPhotoType(Buffer.alloc(0))).toBeNull();
  });
});
