// The staff corner: how many sign-ups wait on this tablet and when it last synced.
// Counts and times only: never a name or a phone number.

import * as queue from './queue.js';

function timeOfDay(iso) {
  const date = new Date(iso);
  const pad = (n) => String(n).padStart(2, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

export function createStaffCorner(root) {
  const summary = root.querySelector('#staff-summary');
  const pending = root.querySelector('#staff-pending');
  const attention = root.querySelector('#staff-attention');
  const lastSync = root.querySelector('#staff-last-sync');

  async function refresh() {
    const counts = await queue.counts();
    const last = await queue.getMeta('lastSync');
    pending.textContent = String(counts.pending);
    attention.textContent = String(counts.attention);
    lastSync.textContent = last ? timeOfDay(last) : lastSync.dataset.never;
    let text = summary.dataset.pending.replace('{n}', String(counts.pending));
    if (counts.attention) text += ` · ${summary.dataset.attention.replace('{n}', String(counts.attention))}`;
    if (last) text += ` · ${timeOfDay(last)}`;
    summary.textContent = text;
    root.dataset.pending = String(counts.pending);
    root.dataset.attention = String(counts.attention);
    updateAlert();
  }

  // The corner turns amber when something needs a person: refused items or a warning.
  function updateAlert() {
    const warning = root.querySelector('.warn:not([hidden])');
    root.classList.toggle('alert', Boolean(warning) || Number(root.dataset.attention) > 0);
  }

  function warn(id, show) {
    root.querySelector(`#${id}`).hidden = !show;
    updateAlert();
  }

  return { refresh, warn };
}
