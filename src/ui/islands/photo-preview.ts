/**
 * Small previews of the chosen photos and a size check before upload, so nobody waits for a large
 * upload only to read "zu groß". The server checks everything again; this is a courtesy.
 */
const input = document.querySelector<HTMLInputElement>('input[type="file"][name="photos"]');
const output = document.getElementById('photo-preview');
if (input && output) init(input, output);

function init(field: HTMLInputElement, out: HTMLElement): void {
  const maxBytes = Number(out.dataset.maxBytes) || Number.POSITIVE_INFINITY;
  const maxFiles = Number(out.dataset.maxFiles) || 3;
  const mb = (bytes: number) => (bytes / (1024 * 1024)).toLocaleString('de-DE', { maximumFractionDigits: 1 });
  let urls: string[] = [];
  let problems: string[] = [];

  field.addEventListener('change', () => {
    for (const url of urls) URL.revokeObjectURL(url);
    urls = [];
    out.replaceChildren();
    const files = Array.from(field.files ?? []);
    problems = [];
    if (files.length > maxFiles) problems.push(`Bitte wählen Sie höchstens ${maxFiles} Fotos aus.`);
    for (const f of files) {
      if (f.size > maxBytes)
        problems.push(`„${f.name}“ ist ${mb(f.size)} MB groß, erlaubt sind ${mb(maxBytes)} MB. Bitte verkleinern Sie das Foto.`);
    }
    if (problems.length > 0) {
      const error = document.createElement('p');
      error.className = 'kern-error';
      error.textContent = problems.join(' ');
      out.append(error);
    }
    const list = document.createElement('ul');
    list.className = 'photo-preview';
    for (const f of files.slice(0, maxFiles)) {
      const item = document.createElement('li');
      const url = URL.createObjectURL(f);
      urls.push(url);
      const img = document.createElement('img');
      img.src = url;
      img.alt = '';
      // HEIC shows in few browsers: then the file name alone must do.
      img.addEventListener('error', () => img.remove());
      const name = document.createElement('span');
      name.className = 'kern-body kern-body--small';
      name.textContent = f.name;
      item.append(img, name);
      list.append(item);
    }
    if (files.length > 0) out.append(list);
  });

  field.form?.addEventListener('submit', (event) => {
    if (problems.length === 0) return;
    event.preventDefault();
    field.focus();
  });
}
