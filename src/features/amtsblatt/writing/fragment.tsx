import type { SentenceHint } from './hints.ts';
import type { PlainLanguageHit } from './plain-language.ts';
import { fleschVerdict, type Readability } from './readability.ts';

const num = (n: number) => n.toLocaleString('de-DE', { maximumFractionDigits: 1 });

/** The writing help as an HTML fragment (htmx swaps it in beside the editor). */
export function WritingHelp(p: { readability: Readability; hints: SentenceHint[]; plain: PlainLanguageHit[] }) {
  const r = p.readability;
  return (
    <section class="writing-help" aria-live="polite" aria-label="Schreibhilfe">
      <h2 class="kern-title">Schreibhilfe</h2>
      {r.counts.words === 0 ? (
        <p class="kern-body">Sobald Sie schreiben, sehen Sie hier, wie leicht sich Ihr Text liest.</p>
      ) : (
        <dl class="kern-description-list">
          <div class="kern-description-list-item">
            <dt class="kern-description-list-item__key">Lesbarkeit (Flesch nach Amstad)</dt>
            <dd class="kern-description-list-item__value">
              {num(r.fleschAmstad)} von 100: {fleschVerdict(r.fleschAmstad)}
            </dd>
          </div>
          <div class="kern-description-list-item">
            <dt class="kern-description-list-item__key">Wiener Sachtextformel</dt>
            <dd class="kern-description-list-item__value">Schulstufe {num(r.wstf1)}</dd>
          </div>
          <div class="kern-description-list-item">
            <dt class="kern-description-list-item__key">LIX</dt>
            <dd class="kern-description-list-item__value">{num(r.lix)}</dd>
          </div>
          <div class="kern-description-list-item">
            <dt class="kern-description-list-item__key">Umfang</dt>
            <dd class="kern-description-list-item__value">
              {r.counts.sentences} Sätze, {r.counts.words} Wörter
            </dd>
          </div>
        </dl>
      )}
      {p.plain.length > 0 && (
        <>
          <h3 class="kern-body kern-body--bold">Einfacher gesagt</h3>
          <ul class="kern-list">
            {p.plain.map((h) => (
              <li>
                „{h.found}“ → {h.suggestion}
              </li>
            ))}
          </ul>
        </>
      )}
      {p.hints.length > 0 && (
        <>
          <h3 class="kern-body kern-body--bold">Hinweise</h3>
          <ul class="kern-list">
            {p.hints.map((h) => (
              <li>
                {h.message}
                {h.kind !== 'long-word' && <q class="kern-body kern-body--small"> {h.excerpt}</q>}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
