import { describe, expect, it } from 'vitest';
import { renderTemplate, unknownVariables, valuesForCase } from './render.ts';

const values = valuesForCase({
  reporterName: 'Erika Mustermann',
  number: '2026-00042',
  categoryName: 'Straßenbeleuchtung',
  teamName: 'Tiefbauamt',
  dueAt: new Date('2026-03-05T23:30:00Z'),
  staffName: 'Lea Leitstelle',
});

describe('renderTemplate', () => {
  it('fills every known variable, with or without spaces and in any case', () => {
    const text = renderTemplate('{{name}}: {{ vorgang }} / {{Kategorie}} bis {{frist}} – {{team}}, {{MITARBEITER}}', values);
    // 23:30 UTC is already the next day in Berlin.
    expect(text).toBe('Erika Mustermann: 2026-00042 / Straßenbeleuchtung bis 06.03.2026 – Tiefbauamt, Lea Leitstelle');
  });

  it('leaves unknown placeholders visible instead of dropping them', () => {
    expect(renderTemplate('Hallo {{vorname}}, Vorgang {{vorgang}} {{ toString }}', values)).toBe(
      'Hallo {{vorname}}, Vorgang 2026-00042 {{ toString }}',
    );
  });

  it('does not treat inherited object keys as variables', () => {
    expect(renderTemplate('{{constructor}} {{__proto__}}', values)).toBe('{{constructor}} {{__proto__}}');
  });

  it('leaves single braces and plain text alone', () => {
    expect(renderTemplate('{name} {{ }} {{name', values)).toBe('{name} {{ }} {{name');
  });

  it('says "bald" without a due date and finds words for missing facts', () => {
    const v = valuesForCase({ reporterName: '  ', number: '2026-00001', categoryName: null, teamName: null, dueAt: null, staffName: 'X' });
    expect(v.frist).toBe('bald');
    expect(v.name).toBe('liebe Bürgerin, lieber Bürger');
    expect(v.kategorie).toBe('Ihr Anliegen');
    expect(v.team).toBe('Bürgerservice');
  });

  it('lists unknown placeholders once each', () => {
    expect(unknownVariables('{{name}} {{foo}} {{ foo }} {{Bar}} {{foo}}')).toEqual(['{{foo}}', '{{ foo }}', '{{Bar}}']);
  });
});
