import type { TextMask } from '../schema/index.ts';
import type { MaskOptions } from './mask.ts';

/** A hit of one finder: a kind and offsets into the source text. */
export type Span = Omit<TextMask, 'unmasked'>;

export type Finder = (text: string, opts: MaskOptions) => Span[];

/** A letter of any script (word boundaries of `\b` know only ASCII, German needs more). */
export const LETTER = /\p{L}/u;

export function isLetter(ch: string | undefined): boolean {
  return ch !== undefined && LETTER.test(ch);
}
