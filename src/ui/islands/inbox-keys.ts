/**
 * Keyboard shortcuts of the inbox: j/k move the marker through the list, Enter opens, x selects,
 * a assigns to me, / jumps to the search, ? opens the help. Keys never fire while someone types in
 * a field or holds a modifier, so shortcuts never eat a letter of a search or a reply.
 */
const help = document.getElementById('shortcut-help') as HTMLDialogElement | null;
const helpButton = document.querySelector<HTMLButtonElement>('[data-shortcut-help]');
let current = -1;

if (helpButton && help) {
  helpButton.hidden = false;
  helpButton.addEventListener('click', () => help.showModal());
}

const rows = (): HTMLTableRowElement[] => Array.from(document.querySelectorAll<HTMLTableRowElement>('#inbox-results tbody tr'));

function typing(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

function mark(index: number): void {
  const list = rows();
  if (list.length === 0) return;
  current = Math.max(0, Math.min(index, list.length - 1));
  for (const [i, row] of list.entries()) row.classList.toggle('is-current', i === current);
  const link = list[current]?.querySelector<HTMLAnchorElement>('th a');
  // Focus the row's link: screen readers announce it, and Enter then opens it natively.
  link?.focus();
}

/** Posts the bulk form for one row, as a normal navigation: the result page says what happened. */
function assignToMe(row: HTMLTableRowElement): void {
  const box = row.querySelector<HTMLInputElement>('input[name="faelle"]');
  const token = document.querySelector<HTMLInputElement>('#bulk-form input[name="_csrf"]')?.value;
  if (!box || !token) return;
  const form = document.createElement('form');
  form.method = 'post';
  form.action = '/staff/sammelaktion';
  form.hidden = true;
  for (const [name, value] of Object.entries({ _csrf: token, aktion: 'zuweisen', assignee: 'ich', faelle: box.value })) {
    const input = document.createElement('input');
    input.type = 'hidden';
    input.name = name;
    input.value = value;
    form.append(input);
  }
  document.body.append(form);
  form.submit();
}

document.addEventListener('keydown', (event) => {
  if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
  if (help?.open) return;
  const list = rows();
  switch (event.key) {
    case 'j':
      mark(current + 1);
      break;
    case 'k':
      mark(current < 0 ? 0 : current - 1);
      break;
    case 'Enter': {
      // Only when the marker sits on a row and focus is not on some other control.
      const row = list[current];
      if (!row || document.activeElement instanceof HTMLButtonElement) return;
      const link = row.querySelector<HTMLAnchorElement>('th a');
      if (!link || document.activeElement === link) return;
      link.click();
      break;
    }
    case 'x': {
      const box = list[current]?.querySelector<HTMLInputElement>('input[name="faelle"]');
      if (!box) return;
      box.checked = !box.checked;
      break;
    }
    case 'a': {
      const row = list[current];
      if (!row) return;
      assignToMe(row);
      break;
    }
    case '/':
      document.querySelector<HTMLInputElement>('input[name="q"]')?.focus();
      break;
    case '?':
      help?.showModal();
      break;
    default:
      return;
  }
  event.preventDefault();
});

// htmx swaps the results when filtering: start the marker afresh.
document.body.addEventListener('htmx:afterSwap', () => {
  current = -1;
});
