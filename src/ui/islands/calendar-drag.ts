// Redaktionskalender: drag a post onto another day. The drop only fills the post's own
// "Verschieben" form (same time of day, new date) and submits it, so the server checks it
// exactly like the form without JavaScript.
for (const item of document.querySelectorAll<HTMLElement>('.calendar-post[data-movable]')) {
  item.draggable = true;
  item.addEventListener('dragstart', (e) => {
    e.dataTransfer?.setData('text/plain', item.dataset.postId ?? '');
    if (e.dataTransfer) e.dataTransfer.effectAllowed = 'move';
  });
}
for (const day of document.querySelectorAll<HTMLElement>('.calendar-day[data-date]')) {
  day.addEventListener('dragover', (e) => {
    e.preventDefault();
    day.classList.add('calendar-day--target');
  });
  day.addEventListener('dragleave', () => day.classList.remove('calendar-day--target'));
  day.addEventListener('drop', (e) => {
    e.preventDefault();
    day.classList.remove('calendar-day--target');
    const id = e.dataTransfer?.getData('text/plain');
    const form = id ? document.querySelector<HTMLFormElement>(`.calendar-post[data-post-id="${CSS.escape(id)}"] form.calendar-move`) : null;
    const field = form?.querySelector<HTMLInputElement>('input[name="at"]');
    if (!form || !field || !day.dataset.date) return;
    const time = field.value.split('T')[1] ?? '09:00';
    field.value = `${day.dataset.date}T${time}`;
    form.requestSubmit();
  });
}
