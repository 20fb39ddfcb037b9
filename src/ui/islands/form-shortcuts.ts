/**
 * Alt+letter shortcuts of a form: an element with data-shortcut="s" is pressed (a button, a
 * checkbox, a link) or focused (a text field, a select, the chosen radio) by Alt+S. The page lists
 * them. Alt alone, never Ctrl: AltGr is Ctrl+Alt on Windows and types "@" and "€", which must
 * reach the field. The key is read by its position (event.code), so the Mac's Option letters work too.
 */
document.addEventListener('keydown', (event) => {
  if (!event.altKey || event.ctrlKey || event.metaKey || event.shiftKey || event.defaultPrevented) return;
  const letter = /^Key([A-Z])$/.exec(event.code)?.[1]?.toLowerCase();
  if (!letter) return;
  const target = document.querySelector<HTMLElement>(`[data-shortcut="${letter}"]`);
  if (!target) return;
  event.preventDefault();
  target.focus();
  const pressable =
    target instanceof HTMLButtonElement ||
    target instanceof HTMLAnchorElement ||
    (target instanceof HTMLInputElement && target.type === 'checkbox');
  if (pressable) target.click();
});
