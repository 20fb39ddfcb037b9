import { fileTypeLabel, formatBytes } from '../files.ts';
import type { CaseFile } from '../queries.ts';

/** Dateien: PDFs and office documents the citizen sent, each a download. */
export function CaseFiles({ number, files }: { number: string; files: CaseFile[] }) {
  return (
    <section aria-labelledby="files-title">
      <h2 id="files-title" class="kern-heading-medium">
        Dateien
      </h2>
      <ul class="kern-list">
        {files.map((f) => (
          <li key={f.id}>
            <a class="kern-link" href={`/staff/faelle/${number}/dateien/${f.id}`} download>
              {f.filename ?? `Datei ${f.id}`}
            </a>{' '}
            <span class="kern-body--small">
              ({fileTypeLabel(f.mimeType, f.filename)}, {formatBytes(f.bytes)})
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
