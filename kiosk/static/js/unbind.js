// Staff pages (setup and exit). Once a tablet is unbound, the kiosk screen must not
// open from the offline cache, so the worker and its cache go. The outbox stays:
// it may hold sign-ups not yet sent, and staff are told how many.

import * as queue from './queue.js';
import { createSender } from './sender.js';

async function dropOfflineShell() {
  if ('serviceWorker' in navigator) {
    const registrations = await navigator.serviceWorker.getRegistrations();
    await Promise.all(registrations.map((r) => r.unregister()));
  }
  if ('caches' in window) {
    const names = await caches.keys();
    await Promise.all(names.filter((n) => n.startsWith('kiosk-')).map((n) => caches.delete(n)));
  }
}

async function showPending() {
  const warning = document.getElementById('pending-warning');
  if (!warning) return;
  const render = async () => {
    const { pending, attention } = await queue.counts();
    const left = pending + attention;
    warning.textContent = warning.dataset.text.replace('{n}', String(left));
    warning.hidden = left === 0;
    warning.dataset.count = String(left);
  };
  await render();
  if (!('trySync' in warning.dataset)) return; // unbound: sending would only be refused
  // While the tablet is still bound, try once to deliver what is left.
  const sender = createSender({
    signupsUrl: warning.dataset.signupsUrl,
    attentionUrl: warning.dataset.attentionUrl,
    onChange: render,
  });
  await sender.kick(true);
  await render();
}

dropOfflineShell().finally(() => { document.documentElement.dataset.shellCleared = 'true'; });
showPending();
