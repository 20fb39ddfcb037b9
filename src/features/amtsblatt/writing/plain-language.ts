export interface PlainTerm {
  term: string;
  suggestion: string;
}

export interface PlainLanguageHit {
  /** The words as they stand in the text. */
  found: string;
  term: string;
  suggestion: string;
  start: number;
  end: number;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** One pattern per term: whole words, any run of white space between them, "*" = any ending. */
function patternOf(term: string): RegExp {
  const open = term.endsWith('*');
  const words = (open ? term.slice(0, -1) : term).trim().split(/\s+/).map(escapeRegExp).join('\\s+');
  return new RegExp(`(?<![\\p{L}\\p{N}])${words}${open ? '\\p{L}*' : ''}(?![\\p{L}\\p{N}])`, 'giu');
}

/**
 * The terms merged (a later list wins on the same term, so admins can correct a shipped
 * suggestion) and compiled once, as a detector.
 */
export function plainLanguageDetector(...lists: (readonly PlainTerm[])[]): (text: string) => PlainLanguageHit[] {
  const byTerm = new Map<string, PlainTerm & { rank: number }>();
  lists.forEach((list, rank) => {
    for (const t of list) if (t.term.trim()) byTerm.set(t.term.trim().toLowerCase(), { ...t, rank });
  });
  const compiled = [...byTerm.values()].map((t) => ({ ...t, re: patternOf(t.term) }));
  return (text) => {
    const hits: (PlainLanguageHit & { rank: number })[] = [];
    for (const t of compiled) {
      for (const m of text.matchAll(t.re)) {
        hits.push({ found: m[0], term: t.term, suggestion: t.suggestion, start: m.index, end: m.index + m[0].length, rank: t.rank });
      }
    }
    // In text order; where two overlap the longer one (the phrase over its word) stays, on the same
    // words the later list's (the town's "Wertstoffhof" over the shipped "Wertstoff*").
    hits.sort((a, b) => a.start - b.start || b.end - a.end || b.rank - a.rank);
    let end = 0;
    const out: PlainLanguageHit[] = [];
    for (const { rank: _, ...h } of hits) {
      if (h.start < end) continue;
      out.push(h);
      end = h.end;
    }
    return out;
  };
}
