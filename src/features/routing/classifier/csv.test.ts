import { describe, expect, it } from 'vitest';
import { AppError } from '../../../infra/errors.ts';
import { parseLabelledCsv } from './csv.ts';

describe('parseLabelledCsv', () => {
  it('refuses a file without a text column with a German message, not a crash', () => {
    const refusal = (() => {
      try {
        parseLabelledCsv('titel,kategorie\nLaterne,Licht\n', ['category']);
      } catch (err) {
        return err;
      }
    })();
    expect(refusal).toBeInstanceOf(AppError);
    expect((refusal as AppError).message).toContain('Spalte "text"');
  });

  it('refuses a broken CSV naming the line', () => {
    expect(() => parseLabelledCsv('text,category\n"offen,Licht\n', ['category'])).toThrow(/CSV-Datei lässt sich nicht lesen/);
  });
});
