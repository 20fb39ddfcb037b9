/**
 * The Amtsblatt editor while typing: the Markdown preview from the server's own renderer (so it
 * shows what the website will), and per target the counter, the styled preview and "kürzen"
 * without a round trip. Without JavaScript the form's "Vorschau" and "kürzen" buttons do the same.
 */
import { shorten, textLength } from '../../features/amtsblatt/desk/shorten.ts';

const form = document.getElementById('post-form') as HTMLFormElement | null;
if (form) init(form);

function init(f: HTMLFormElement): void {
  const body = f.querySelector<HTMLTextAreaElement>('textarea[name="body"]');
  const preview = document.querySelector('#desk-preview > div');
  const csrf = f.querySelector<HTMLInputElement>('input[name="_csrf"]')?.value ?? '';
  let timer: ReturnType<typeof setTimeout> | undefined;
  body?.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const res = await fetch('/redaktion/vorschau', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: csrf, body: body.value }),
      }).catch(() => null);
      // The server sanitises the fragment (allow-list, no scripts): the same HTML the page renders.
      if (res?.ok && preview) preview.innerHTML = await res.text();
    }, 400);
  });

  for (const block of f.querySelectorAll<HTMLElement>('[data-target]')) {
    const key = block.dataset.target ?? '';
    const max = Number(block.dataset.max) || null;
    const graphemes = block.dataset.graphemes === 'yes';
    const area = block.querySelector<HTMLTextAreaElement>(`textarea[name="text_${key}"]`);
    const count = block.querySelector<HTMLElement>('[data-count-for]');
    const shown = block.querySelector<HTMLElement>('[data-preview-text]');
    if (!area) continue;
    const update = () => {
      const n = textLength(area.value, graphemes);
      if (count) {
        count.textContent =
          max === null
            ? `${n.toLocaleString('de-DE')} Zeichen, ohne Grenze`
            : `${n.toLocaleString('de-DE')} von ${max.toLocaleString('de-DE')} Zeichen`;
        count.classList.toggle('target-count--over', max !== null && n > max);
      }
      if (shown) shown.textContent = area.value || '(leer)';
    };
    area.addEventListener('input', update);
    block.querySelector<HTMLButtonElement>('[data-shorten]')?.addEventListener('click', (event) => {
      if (max === null) return;
      event.preventDefault();
      area.value = shorten(area.value || body?.value || '', max, { countsGraphemes: graphemes });
      update();
    });
  }
}
