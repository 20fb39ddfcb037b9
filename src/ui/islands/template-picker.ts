/**
 * Textbaustein chooser on the case page: choosing fills the reply box at once, without the page
 * round trip the plain GET form needs. Text already typed is kept: the template goes below it.
 */
for (const form of document.querySelectorAll<HTMLFormElement>('form[data-template-picker]')) {
  const select = form.querySelector<HTMLSelectElement>('select[name="vorlage"]');
  const target = document.getElementById(form.dataset.templatePicker ?? '');
  if (select && target instanceof HTMLTextAreaElement) enhance(form, select, target);
}

function enhance(form: HTMLFormElement, select: HTMLSelectElement, textarea: HTMLTextAreaElement): void {
  const insert = (): boolean => {
    const text = select.selectedOptions[0]?.dataset.text;
    if (text === undefined) return false;
    const typed = textarea.value.trim();
    textarea.value = typed ? `${typed}\n\n${text}` : text;
    textarea.dispatchEvent(new Event('input', { bubbles: true }));
    textarea.focus();
    textarea.setSelectionRange(textarea.value.length, textarea.value.length);
    return true;
  };
  // Arrow keys on a closed select fire "change" in some browsers: only a pointer choice inserts
  // at once; keyboard users confirm with the button (or Enter), so browsing never inserts text.
  let byPointer = false;
  select.addEventListener('pointerdown', () => {
    byPointer = true;
  });
  select.addEventListener('keydown', () => {
    byPointer = false;
  });
  select.addEventListener('change', () => {
    if (byPointer) insert();
  });
  // The "Einfügen" button still works (e.g. keyboard users who pick and then press it).
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    insert();
  });
}
