import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * The pages of a PDF as PNG images, drawn by Poppler (Debian package poppler-utils: pdfinfo and
 * pdftoppm), the renderer the PDF viewers of most Linux desktops use. The programs run without a
 * shell on a copy of the file in a private temporary folder, with a time limit, a page limit and
 * a resolution that keeps every page within the photo pipeline's largest edge: a PDF may claim a
 * page of 5 × 5 metres, which at 100 dpi would be a bitmap of gigabytes.
 */
export interface PdfPageOptions {
  maxPages: number;
  /** Dots per inch for a normal page (A4 at 100 dpi: 827 × 1170 pixels). */
  dpi: number;
  /** Longest edge in pixels; larger pages are drawn at a lower resolution. */
  maxEdge: number;
  timeoutMs: number;
}

export const PDF_PAGE_DEFAULTS: PdfPageOptions = { maxPages: 20, dpi: 100, maxEdge: 2560, timeoutMs: 30_000 };

export type PdfPages =
  | { ok: true; pageCount: number; pages: Buffer[] }
  /** encrypted: opens only with a password; broken: not a PDF Poppler can read; missing: Poppler is not installed. */
  | { ok: false; problem: 'encrypted' | 'broken' | 'missing' | 'timeout' };

const run = promisify(execFile);

interface PdfInfo {
  pageCount: number;
  /** The longest page edge among the pages to draw, in points (1/72 inch). */
  longestEdge: number;
}

/** pdfinfo's "Pages:" and "Page    1 size: 595.28 x 841.89 pts (A4)" lines. */
export function parsePdfInfo(stdout: string): PdfInfo | null {
  const pages = /^Pages:\s+(\d+)\s*$/m.exec(stdout);
  if (!pages) return null;
  const edges = [...stdout.matchAll(/^Page\s+\d+\s+size:\s+([\d.]+) x ([\d.]+) pts/gm)].flatMap((m) => [Number(m[1]), Number(m[2])]);
  return { pageCount: Number(pages[1]), longestEdge: Math.max(0, ...edges.filter(Number.isFinite)) };
}

/** What a failed pdfinfo or pdftoppm run means; any other error (a full disk) is thrown on. */
function problemOf(err: unknown): Exclude<PdfPages, { ok: true }>['problem'] {
  const e = err as { cmd?: string; code?: unknown; killed?: boolean; signal?: string | null; stderr?: string };
  if (typeof e?.cmd !== 'string') throw err;
  if (e.code === 'ENOENT') return 'missing';
  if (e.killed || e.signal === 'SIGTERM') return 'timeout';
  if (/incorrect password/i.test(e.stderr ?? '')) return 'encrypted';
  return 'broken';
}

export async function renderPdfPages(pdf: Buffer, options: Partial<PdfPageOptions> = {}): Promise<PdfPages> {
  const o = { ...PDF_PAGE_DEFAULTS, ...options };
  const dir = await mkdtemp(join(tmpdir(), 'pdf-pages-'));
  try {
    const file = join(dir, 'in.pdf');
    await writeFile(file, pdf, { mode: 0o600 });
    const limits = { timeout: o.timeoutMs, maxBuffer: 1024 * 1024, killSignal: 'SIGTERM' as const };
    const range = ['-f', '1', '-l', String(o.maxPages)];
    const info = parsePdfInfo((await run('pdfinfo', [...range, file], { ...limits, encoding: 'latin1' })).stdout);
    if (!info || info.pageCount < 1) return { ok: false, problem: 'broken' };
    const dpi = info.longestEdge > 0 ? Math.max(1, Math.min(o.dpi, Math.floor((72 * o.maxEdge) / info.longestEdge))) : o.dpi;
    // Faxes are black and white: grey PNGs are a third of the size of colour ones and look the same.
    await run('pdftoppm', ['-png', '-gray', '-r', String(dpi), ...range, file, join(dir, 'page')], limits);
    // pdftoppm pads the page numbers to one width (page-01 … page-12), so the names sort in page order.
    const names = (await readdir(dir)).filter((n) => /^page-\d+\.png$/.test(n)).sort();
    if (names.length === 0) return { ok: false, problem: 'broken' };
    const pages: Buffer[] = [];
    for (const name of names) pages.push(await readFile(join(dir, name)));
    return { ok: true, pageCount: info.pageCount, pages };
  } catch (err) {
    return { ok: false, problem: problemOf(err) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
