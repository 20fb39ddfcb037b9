import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('letterhead settings', () => {
  it('defaults to Musterstadt and splits LETTERHEAD_ADDRESS at line breaks or \\n', () => {
    expect(loadConfig({}).letterhead).toEqual({
      lines: ['Stadt Musterstadt', 'Bürgerservice', 'Marktstätte 1', '78462 Musterstadt'],
      phone: '07531 900-0',
      email: 'anliegen@musterstadt.example',
    });
    expect(loadConfig({ LETTERHEAD_ADDRESS: 'Stadt Beispiel\\nRathausplatz 2\n12345 Beispiel' }).letterhead.lines).toEqual([
      'Stadt Beispiel',
      'Rathausplatz 2',
      '12345 Beispiel',
    ]);
  });

  it('refuses a one-line address and a wrong e-mail address with German messages naming the variable', () => {
    expect(() => loadConfig({ LETTERHEAD_ADDRESS: 'Nur eine Zeile' })).toThrow(/LETTERHEAD_ADDRESS: erwartet mindestens zwei Zeilen/);
    expect(() => loadConfig({ LETTERHEAD_EMAIL: 'keine-adresse' })).toThrow(ConfigError);
    expect(() => loadConfig({ LETTERHEAD_EMAIL: 'keine-adresse' })).toThrow(/LETTERHEAD_EMAIL: muss eine E-Mail-Adresse sein/);
  });
});
