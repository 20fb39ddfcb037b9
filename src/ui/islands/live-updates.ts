/**
 * Live notices: listens to the server's event stream and says, without moving anything on the
 * page, that a case changed meanwhile. On a case page: "… wurde gerade von X geändert – neu laden";
 * in the inbox: "N neue/geänderte Anliegen – aktualisieren". Without JavaScript the region stays empty.
 */
interface LiveEvent {
  number: string;
  by: string;
  self: boolean;
  created: boolean;
}

const region = document.querySelector<HTMLElement>('[data-live-src]');
if (region && 'EventSource' in window) start(region);

function start(el: HTMLElement): void {
  const scope = el.dataset.liveScope === 'case' ? 'case' : 'inbox';
  const changed = new Set<string>();
  let created = 0;
  const source = new EventSource(el.dataset.liveSrc ?? '/staff/live');

  source.addEventListener('case', (message) => {
    const event = JSON.parse((message as MessageEvent<string>).data) as LiveEvent;
    if (scope === 'case') {
      show(
        el,
        event.self
          ? 'Dieses Anliegen wurde gerade von Ihnen in einem anderen Fenster geändert.'
          : `Dieses Anliegen wurde gerade von ${event.by} geändert.`,
        'neu laden',
      );
      return;
    }
    if (!changed.has(event.number) && event.created) created++;
    changed.add(event.number);
    const n = changed.size;
    const what =
      created === n
        ? n === 1
          ? 'neues Anliegen'
          : 'neue Anliegen'
        : n === 1
          ? 'neues oder geändertes Anliegen'
          : 'neue oder geänderte Anliegen';
    show(el, `${n} ${what}.`, 'aktualisieren');
  });
  // Streams end now and then on purpose (the server re-checks the session); EventSource reconnects.
  window.addEventListener('pagehide', () => source.close());
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
