import { RE2JS, RE2JSSyntaxException } from 're2js';

/**
 * Admins may write regular expressions, and a backtracking engine (JavaScript's RegExp) has no time
 * limit: a pattern like (a|a)*b against thirty characters of a citizen's report blocks the event
 * loop for seconds, a few characters more for hours. No syntactic check catches every such pattern,
 * so rule patterns run on RE2 (re2js), which matches in time linear in the text: no backtracking,
 * hence no backreferences and no lookaround. What stays bounded on top: the pattern's length, the
 * size of its compiled program (a{1000}-style repetitions make each step of the match costlier),
 * and the text, capped at the intake limit. Matching is case-insensitive and works on Unicode code
 * points (\p{L}, umlauts, emoji), as the form promises.
 */
export const PATTERN_MAX_LENGTH = 200;
/** RE2's own measure of a program's cost; at 500 one match over 5,000 characters stays near 20 ms at worst. */
const PROGRAM_MAX_SIZE = 500;
/** The intake limit of a description: longer texts (a mail, later) are matched on their beginning. */
export const MATCH_TEXT_LIMIT = 5000;
/** Distinct patterns kept compiled; rules run on every new case, the form and dry run add a few more. */
const CACHE_SIZE = 256;

// Insertion order doubles as recency: a hit is moved to the end, the oldest entry leaves first.
const compiled = new Map<string, RE2JS>();

/** The one place a rule pattern is compiled; throws RE2's syntax error for a pattern it cannot take. */
function compiledPattern(pattern: string): RE2JS {
  const hit = compiled.get(pattern);
  if (hit) {
    compiled.delete(pattern);
    compiled.set(pattern, hit);
    return hit;
  }
  const re = RE2JS.compile(pattern, RE2JS.CASE_INSENSITIVE);
  compiled.set(pattern, re);
  const oldest = compiled.keys().next().value;
  if (compiled.size > CACHE_SIZE && oldest !== undefined) compiled.delete(oldest);
  return re;
}

/** German message for a pattern the rules cannot use, or null when it is fine. */
export function regexProblem(pattern: string): string | null {
  if (pattern.length > PATTERN_MAX_LENGTH) return `Der Ausdruck darf höchstens ${PATTERN_MAX_LENGTH} Zeichen haben.`;
  let re: RE2JS;
  try {
    re = compiledPattern(pattern);
  } catch (err) {
    return syntaxMessage(err);
  }
  if (re.programSize() > PROGRAM_MAX_SIZE) return 'Der Ausdruck ist zu aufwendig (zu viele Wiederholungen wie {1000}). Bitte vereinfachen.';
  return null;
}

/** True when the pattern occurs anywhere in the text (its first 5,000 characters). Only for patterns regexProblem accepted. */
export function matchesPattern(pattern: string, text: string): boolean {
  return compiledPattern(pattern).test(text.slice(0, MATCH_TEXT_LIMIT));
}

const UNSUPPORTED = 'wird von der Regelprüfung nicht unterstützt (sie arbeitet mit RE2, das jeden Text ohne Zurückspringen prüft).';

/** RE2's error kinds in German; `input` is the offending piece of the pattern. */
function syntaxMessage(err: unknown): string {
  if (!(err instanceof RE2JSSyntaxException)) return 'Das ist kein gültiger regulärer Ausdruck.';
  const piece = err.input ?? '';
  switch (err.error) {
    case 'invalid or unsupported Perl syntax':
      if (piece.startsWith('(?=') || piece.startsWith('(?!')) return `Vorausschau wie (?=…) oder (?!…) ${UNSUPPORTED}`;
      return `Die Gruppe „${piece}…“ ist unbekannt oder ${UNSUPPORTED}`;
    case 'invalid named capture':
      if (piece.startsWith('(?<=') || piece.startsWith('(?<!')) return `Rückschau wie (?<=…) oder (?<!…) ${UNSUPPORTED}`;
      return 'Der Name einer benannten Gruppe (?<name>…) darf nur Buchstaben, Ziffern und _ enthalten.';
    case 'invalid escape sequence':
      if (/^\\([1-9]|k)/.test(piece)) return `Ein Rückverweis wie \\1 oder \\k<name> ${UNSUPPORTED}`;
      if (piece.startsWith('\\u')) return 'Unicode-Zeichen schreiben Sie als \\x{00e4} (statt \\u00e4).';
      return `„${piece}“ ist unbekannt. Mit Backslash gehen Klassen wie \\d, \\w, \\s, \\b und Satzzeichen wie \\. oder \\(.`;
    case 'invalid nested repetition operator':
      return `Zwei Wiederholungszeichen hintereinander („${piece}“) sind nicht erlaubt.`;
    case 'invalid repeat count':
      return `Die Wiederholung „${piece}“ ist ungültig: höchstens 1000 (auch verschachtelt zusammen), und die erste Zahl nicht größer als die zweite.`;
    case 'missing argument to repetition operator':
      return `Vor „${piece}“ steht nichts, das wiederholt werden könnte.`;
    case 'missing closing ]':
      return 'Eine eckige Klammer „[“ wird nicht geschlossen.';
    case 'missing closing )':
      return 'Eine runde Klammer „(“ wird nicht geschlossen.';
    case 'unexpected )':
      return 'Zu einer runden Klammer „)“ fehlt die öffnende „(“.';
    case 'invalid character class range':
      return `„${piece}“ ist keine gültige Zeichenklasse oder kein gültiger Bereich (bei a-z muss das erste Zeichen vorn stehen).`;
    case 'trailing backslash at end of expression':
      return 'Der Ausdruck endet mit einem einzelnen „\\“.';
    case 'duplicate capture group name':
      return `Der Gruppenname „${piece}“ kommt zweimal vor.`;
    case 'expression nests too deeply':
    case 'expression too large':
      return 'Der Ausdruck ist zu groß oder zu tief verschachtelt. Bitte vereinfachen.';
    default:
      return 'Das ist kein gültiger regulärer Ausdruck.';
  }
}
