import { describe, expect, it } from 'vitest';
import { formValues, reportFieldErrors, reportFormSchema, uploadedFiles } from './form.ts';

const nonce = 'abcdefghijklmnopqrstuvwx';
const valid = { description: '  Laterne dunkel  ', consent: 'yes', nonce };

describe('reportFormSchema', () => {
  it('accepts a minimal report and normalises empty optional fields to null', () => {
    const parsed = reportFormSchema.parse({ ...valid, type: 'unknown', categoryId: '', locationText: ' ', reporterEmail: '' });
    expect(parsed).toMatchObject({
      description: 'Laterne dunkel',
      type: null,
      categoryId: null,
      locationText: null,
      lat: null,
      lon: null,
      reporterName: null,
      reporterEmail: null,
    });
  });

  it('parses type, category, a full pin and lower-cases the e-mail', () => {
    const parsed = reportFormSchema.parse({
      ...valid,
      type: 'idea',
      categoryId: '7',
      lat: '47.66',
      lon: '-9.5',
      reporterEmail: ' Erika@Example.ORG ',
    });
    expect(parsed).toMatchObject({ type: 'idea', categoryId: 7, lat: 47.66, lon: -9.5, reporterEmail: 'erika@example.org' });
  });

  it('gives a German message per field', () => {
    const result = reportFormSchema.safeParse({ description: '   ', type: 'alien', categoryId: 'x', reporterEmail: 'nope', nonce: 'kurz' });
    expect(result.success).toBe(false);
    const errors = result.success ? {} : reportFieldErrors(result.error);
    expect(errors.description).toBe('Bitte beschreiben Sie kurz Ihr Anliegen.');
    expect(errors.consent).toContain('Bitte stimmen Sie der Verarbeitung');
    expect(errors.type).toContain('Weiß nicht');
    expect(errors.categoryId).toContain('Kategorie');
    expect(errors.reporterEmail).toContain('gültige E-Mail-Adresse');
    expect(errors.form).toContain('noch einmal');
  });

  it('enforces length limits', () => {
    const result = reportFormSchema.safeParse({ ...valid, description: 'x'.repeat(5001), reporterName: 'n'.repeat(121) });
    const errors = result.success ? {} : reportFieldErrors(result.error);
    expect(errors.description).toContain('höchstens 5000 Zeichen');
    expect(errors.reporterName).toContain('zu lang');
  });

  it('wants lat and lon as a pair of numbers in range, and reports them at the map', () => {
    const cases = [
      { lat: '47.6' },
      { lon: '9.1' },
      { lat: '91', lon: '9' },
      { lat: '47', lon: '181' },
      { lat: '1e2', lon: '9' },
      { lat: 'abc', lon: '9' },
    ];
    for (const pin of cases) {
      const result = reportFormSchema.safeParse({ ...valid, ...pin });
      expect(result.success, JSON.stringify(pin)).toBe(false);
      if (!result.success) expect(Object.keys(reportFieldErrors(result.error))).toEqual(['pin']);
    }
  });

  it('rejects a field sent twice instead of picking one', () => {
    const result = reportFormSchema.safeParse({ ...valid, description: ['a', 'b'] });
    expect(result.success).toBe(false);
  });
});

describe('form helpers', () => {
  it('keeps entered text for re-display and never echoes file contents', () => {
    const values = formValues({ description: 'Hallo', consent: 'yes', photos: Buffer.from('x'), type: '' }, nonce);
    expect(values).toMatchObject({ description: 'Hallo', consent: true, type: 'unknown', nonce });
  });

  it('turns single, multiple and empty file parts into a list of non-empty buffers', () => {
    expect(uploadedFiles(undefined)).toEqual([]);
    expect(uploadedFiles(Buffer.alloc(0))).toEqual([]);
    expect(uploadedFiles(Buffer.from('a'))).toHaveLength(1);
    expect(uploadedFiles([Buffer.from('a'), Buffer.alloc(0), Buffer.from('b'), 'text'])).toHaveLength(2);
  });
});
