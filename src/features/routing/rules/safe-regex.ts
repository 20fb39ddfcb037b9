import safeRegex from 'safe-regex2';

/**
 * Admins may write regular expressions, and JavaScript's backtracking engine has no time limit: one
 * pattern like (a+)+$ against a long report could stall intake for every citizen. So we allow a safe
 * subset instead of timing each match: at most 200 characters, no nested quantifiers (star height
 * ≤ 1, checked by safe-regex2, the check Fastify itself uses for route patterns), no backreferences
 * and no lookaround (the constructs that make matching super-linear beyond nesting), and the text
 * is capped at the intake limit (5,000 characters). Matching is case-insensitive and Unicode-aware.
 */
export function regexProblem(pattern: string): string | null {
  if (pattern.length > 200) return 'Der Ausdruck darf höchstens 200 Zeichen haben.';
  let re: RegExp;
  try {
    re = new RegExp(pattern, 'iu');
  } catch {
    return 'Das ist kein gültiger regulärer Ausdruck.';
  }
  if (/\\[1-9]|\\k</.test(pattern)) return 'Rückverweise (\\1, \\k<…>) sind nicht erlaubt.';
  if (/\(\?<?[=!]/.test(pattern)) return 'Vorausschau und Rückschau ((?=…), (?<=…)) sind nicht erlaubt.';
  if (!safeRegex(re, { limit: 25 }))
    return 'Der Ausdruck könnte sehr langsam werden (verschachtelte Wiederholungen wie (a+)+). Bitte vereinfachen.';
  return null;
}

const compiled = new Map<string, RegExp>();

/** Compiles a pattern already accepted by regexProblem; cached, as rules run on every new case. */
export function compileSafe(pattern: string): RegExp {
  let re = compiled.get(pattern);
  if (!re) {
    if (regexProblem(pattern)) throw new Error('unsafe pattern reached the rule engine');
    re = new RegExp(pattern, 'iu');
    if (compiled.size > 1000) compiled.clear();
    compiled.set(pattern, re);
  }
  return re;
}
