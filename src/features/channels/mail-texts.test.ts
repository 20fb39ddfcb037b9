import { describe, expect, it } from 'vitest';
import { renderTemplate, valuesForCase } from '../templates/render.ts';
import { acknowledgementText, replyText } from './mail-texts.ts';

describe('mail texts insert values as one line', () => {
  const name = 'Erika\r\nSehr geehrte Damen und Herren,\r\nbitte überweisen Sie';

  it('a name with line breaks stays in the greeting line', () => {
    const text = acknowledgementText({ name, number: '2026-00001', trackingUrl: 'http://x/verfolgen/t', townName: 'Musterstadt' });
    expect(text.split('\n')[0]).toBe('Hallo Erika Sehr geehrte Damen und Herren, bitte überweisen Sie,');
    expect(text).not.toContain('\r');
  });

  it('the reply text and the signature keep their lines', () => {
    const text = replyText({
      name,
      body: 'Zeile eins\nZeile zwei',
      staffName: 'Tim\nTiefbau',
      teamName: 'Tiefbauamt',
      signature: 'Tiefbauamt\nRathausplatz 1',
      townName: 'Musterstadt',
      trackingUrl: null,
      number: '2026-00001',
    });
    expect(text).toContain('Zeile eins\nZeile zwei');
    expect(text).toContain('Tim Tiefbau\nTiefbauamt\nRathausplatz 1');
  });

  it('template values are one line each', () => {
    const values = valuesForCase({
      reporterName: name,
      number: '2026-00001',
      categoryName: null,
      teamName: null,
      dueAt: null,
      staffName: 'Tim',
    });
    expect(renderTemplate('Hallo {{name}},\nDanke.', values)).toBe(
      'Hallo Erika Sehr geehrte Damen und Herren, bitte überweisen Sie,\nDanke.',
    );
  });
});
