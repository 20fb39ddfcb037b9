/**
 * Slips that must never reach a page: found once in this product, or typical of German UI text
 * put together from pieces (case endings after a preposition, a word doubled across two strings,
 * English framework words, a value printed without formatting). Each entry says why. Checked
 * against the visible text of every page the walk visits (test/german/pages-german.int.test.ts).
 * Add a slip here when one is found, so it stays fixed.
 */
export interface Slip {
  pattern: RegExp;
  why: string;
}

export const slips: readonly Slip[] = [
  { pattern: /bei neue\b/, why: '„bei“ verlangt den Dativ: „bei neuen Anliegen“' },
  { pattern: /die nach demselben klingt/, why: 'Substantiv fehlt: „die nach demselben Anliegen klingt“' },
  { pattern: /Sicherheit 0 %/, why: 'ein Vorschlag mit 0 % ist keiner' },
  { pattern: /Diese Meldung können Sie nicht mehr folgen/, why: '„folgen“ verlangt den Dativ: „Dieser Meldung“' },
  {
    pattern: /dem Anliegen wurde (geschlossen|erledigt|angelegt|gelöscht|veröffentlicht|weitergeleitet)\b/,
    why: 'Subjekt im Nominativ: „das Anliegen wurde …“ (richtig bleibt „dem Anliegen wurde … zugewiesen“)',
  },
  // Not der/die/das: "die Zeit, die die Hälfte …" is good German.
  { pattern: /\b(haben|hat|ist|wird|wurde|Sie|und|nicht|bitte) \1\b/, why: 'ein Wort doppelt, aus zwei Textteilen zusammengesetzt' },
  { pattern: /\S {2,}\S/, why: 'doppeltes Leerzeichen im sichtbaren Text' },
  { pattern: /\b(Submit|Cancel|Loading|Error|Save|Delete)\b/, why: 'englischer Rest im deutschen Text' },
  { pattern: /\b(undefined|null|NaN)\b/, why: 'ein Wert ohne Aufbereitung ausgegeben' },
  { pattern: /\[object Object\]/, why: 'ein Objekt ohne Aufbereitung ausgegeben' },
];

/**
 * The text a reader sees: without scripts, styles, templates and form field contents (a citizen's
 * own words in a textarea or an input value are theirs, not the product's), tags replaced by a
 * space so that words of two elements do not run together, entities decoded.
 */
export function visibleText(html: string): string[] {
  const body = html.replace(/<(script|style|template|textarea|pre)\b[\s\S]*?<\/\1>/gi, ' ').replace(/<!--[\s\S]*?-->/g, ' ');
  // One entry per text node, so a space between two elements never looks like a double space.
  return body
    .split(/<[^>]*>/)
    .map((t) =>
      t
        .replace(/&nbsp;/g, ' ')
        .replace(/&amp;/g, '&')
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"')
        .replace(/&#x27;|&#39;/g, "'"),
    )
    .filter((t) => t.trim().length > 0);
}

/** Each slip found on a page, with a little context. */
export function slipsIn(html: string, list: readonly Slip[] = slips): string[] {
  const found: string[] = [];
  for (const text of visibleText(html)) {
    for (const s of list) {
      const m = s.pattern.exec(text);
      if (m) found.push(`${s.why}: „…${text.slice(Math.max(0, m.index - 40), m.index + m[0].length + 40).trim()}…“`);
    }
  }
  return found;
}
