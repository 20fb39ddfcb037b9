import { caseNotice, inboxNotice, insertedNotice, type LiveEvent } from './live-text.ts';

/**
 * Live notices: listens to the server's event stream. On a case page it says, without moving
 * anything, that the case changed meanwhile ("… neu laden"). In the inbox a new case that belongs
 * to the view on screen is put on top of the list (the server renders its row for the view's
 * filters); anything else is counted in "N neue/geänderte Anliegen – aktualisieren". Without
 * JavaScript the region stays empty.
 */
const region = document.querySelector<HTMLElement>('[data-live-src]');
if (region && 'EventSource' in window) start(region);

function start(el: HTMLElement): void {
  const scope = el.dataset.liveScope === 'case' ? 'case' : 'inbox';
  const changed = new Set<string>();
  let created = 0;
  const source = new EventSource(el.dataset.liveSrc ?? '/staff/live');

  const count = (event: LiveEvent) => {
    if (!changed.has(event.number) && event.created) created++;
    changed.add(event.number);
    show(el, inboxNotice(changed.size, created), 'aktualisieren');
  };

  source.addEventListener('case', (message) => {
    const event = JSON.parse((message as MessageEvent<string>).data) as LiveEvent;
    if (scope === 'case') {
      show(el, caseNotice(event), 'neu laden');
      return;
    }
    if (!event.created) {
      count(event);
      return;
    }
    insertRow(event.number)
      .then((inserted) => (inserted ? say(el, insertedNotice(event.number)) : count(event)))
      .catch(() => count(event));
  });
  // Streams end now and then on purpose (the server re-checks the session); EventSource reconnects.
  window.addEventListener('pagehide', () => source.close());
}

/** Puts the row of a new case on top of the inbox list, if the view on screen would list it there. */
async function insertRow(number: string): Promise<boolean> {
  const rows = document.querySelector<HTMLTableSectionElement>('[data-live-rows]');
  if (!rows) return false;
  if (rows.querySelector(`tr[data-case="${CSS.escape(number)}"]`)) return true;
  const res = await fetch(`/staff/faelle/${encodeURIComponent(number)}/zeile${window.location.search}`, {
    headers: { accept: 'text/html' },
    credentials: 'same-origin',
  });
  if (res.status !== 200) return false;
  // The server rendered (and escaped) the row; a template parses a lone <tr> as it is.
  const template = document.createElement('template');
  template.innerHTML = await res.text();
  const row = template.content.querySelector('tr');
  if (!row || rows.querySelector(`tr[data-case="${CSS.escape(number)}"]`)) return row !== null;
  row.classList.add('live-new');
  rows.prepend(row);
  return true;
}

function say(el: HTMLElement, text: string): void {
  const p = document.createElement('p');
  p.className = 'kern-body';
  p.textContent = text;
  el.replaceChildren(p);
}

function show(el: HTMLElement, text: string, linkText: string): void {
  const box = document.createElement('div');
  box.className = 'kern-alert kern-alert--info';
  const body = document.createElement('p');
  body.className = 'kern-body';
  body.append(`${text} `);
  const link = document.createElement('a');
  link.className = 'kern-link';
  link.href = window.location.pathname + window.location.search;
  link.textContent = linkText;
  body.append(link);
  box.append(body);
  el.replaceChildren(box);
}
