import { Button, TextField } from '../../../../ui/forms.tsx';
import { Layout, type PageContext } from '../../../../ui/layout.tsx';
import { dateTimeLabel } from '../dates.ts';
import { noticeLabel } from '../labels.ts';
import { postPath } from '../links.ts';
import { renderMarkdown } from '../markdown.ts';
import type { PublicPost } from '../queries.ts';

export interface HashCheck {
  stored: string | null;
  recomputed: string;
  /** Exactly what was hashed, so anyone can follow the computation. */
  input: string;
  /** A value the reader typed in to compare, and whether it matched. */
  given: { value: string; matches: boolean } | null;
}

/** /amtsblatt/<slug>/pruefen: the stored hash beside the one computed now from the stored text. */
export function HashCheckPage({ ctx, post, check }: { ctx: PageContext; post: PublicPost; check: HashCheck }) {
  const base = postPath(post.slug);
  const ok = check.stored !== null && check.stored === check.recomputed;
  return (
    <Layout ctx={ctx} title={`Prüfsumme der Bekanntmachung ${noticeLabel(post) ?? ''}`}>
      <p class="kern-body">
        <a class="kern-link" href={base}>
          ← Zur Bekanntmachung
        </a>
      </p>
      <h1 class="kern-heading-large">Prüfsumme der Bekanntmachung {noticeLabel(post)}</h1>
      <div class={`kern-alert kern-alert--${ok ? 'success' : 'danger'}`} role="status">
        <div class="kern-alert__header">
          <span class="kern-title">
            {ok ? 'Der Inhalt ist unverändert.' : 'Die gespeicherte Prüfsumme passt nicht zum Inhalt. Bitte wenden Sie sich an die Stadt.'}
          </span>
        </div>
      </div>
      <dl class="facts">
        <dt>Bei Veröffentlichung</dt>
        <dd class="code hash">{check.stored ?? 'nicht vorhanden'}</dd>
        <dt>Jetzt berechnet</dt>
        <dd class="code hash">{check.recomputed}</dd>
      </dl>
      <h2 class="kern-heading-medium">Selbst nachrechnen</h2>
      <p class="kern-body">
        Die Prüfsumme ist SHA-256 (hexadezimal) über die UTF-8-Bytes von Titel, zwei Zeilenumbrüchen, Text, zwei Zeilenumbrüchen und dem
        Veröffentlichungszeitpunkt in UTC nach ISO 8601. Genau dieser Text wurde berechnet:
      </p>
      <pre class="hash-input">{check.input}</pre>
      <form method="get" action={`${base}/pruefen`} class="form-stack">
        <TextField
          name="sha256"
          label="Prüfsumme vergleichen"
          hint="64 Zeichen, zum Beispiel aus einem Ausdruck"
          value={check.given?.value}
          maxLength={100}
        />
        <Button>Vergleichen</Button>
      </form>
      {check.given && (
        <p class="kern-body" role="status">
          {check.given.matches ? 'Die eingegebene Prüfsumme stimmt überein.' : 'Die eingegebene Prüfsumme stimmt nicht überein.'}
        </p>
      )}
    </Layout>
  );
}

/** The print view of a notice: no navigation, the facts and the hash on paper. */
export function NoticePrintView({ townName, post, url }: { townName: string; post: PublicPost; url: string }) {
  const title = `Amtliche Bekanntmachung ${noticeLabel(post) ?? ''}: ${post.title}`;
  return (
    <html lang="de">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} – ${townName}`}</title>
        <link rel="stylesheet" href="/assets/app.css" />
      </head>
      <body class="print-view">
        <main>
          <p>Stadt {townName} · Amtsblatt</p>
          <p>
            <strong>Amtliche Bekanntmachung {noticeLabel(post)}</strong>
          </p>
          <h1>{post.title}</h1>
          <p>Veröffentlicht am {dateTimeLabel(post.publishedAt)}</p>
          <div dangerouslySetInnerHTML={{ __html: renderMarkdown(post.body) }} />
          <p>
            Prüfsumme (SHA-256): <span class="code hash">{post.contentSha256 ?? '—'}</span>
          </p>
          <p>Dauerhafte Adresse: {url}</p>
        </main>
      </body>
    </html>
  );
}
