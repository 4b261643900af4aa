// Delivers the outbox to POST /api/signups in the background.
//
// Each item keeps the UUID it was given when the person pressed submit, so a retry
// after a lost response is recognised by the server (200, same receipt) and stored
// once. An item is deleted only after 201 or 200. Network errors, timeouts, 5xx,
// 408 and 429 leave it queued and back off (exponential, with jitter, so tablets
// that come back online together do not all hit the server at the same moment).
// Any other refusal (422, 409, 403, 404 …) would fail the same way forever, so the
// item moves to "needs attention" and is reported to the server for staff.

import * as queue from './queue.js';

const RETRYABLE = new Set([408, 429]);

async function postJson(url, body, timeoutMs) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
      signal: controller.signal,
    });
    let json = null;
    try { json = await response.json(); } catch { /* an empty or HTML body */ }
    return { status: response.status, body: json };
  } catch {
    return { status: 0, body: null }; // offline, refused, reset or timed out
  } finally {
    clearTimeout(timer);
  }
}

function classify(status) {
  if (status === 201 || status === 200) return 'done';
  if (status === 0 || status >= 500 || RETRYABLE.has(status)) return 'retry';
  return 'attention';
}

export function createSender(options) {
  const {
    signupsUrl, attentionUrl, baseMs = 2000, maxMs = 300000, timeoutMs = 15000,
    onChange = () => {},
  } = options;
  let running = null;
  let again = false;
  let failures = 0;
  let notBefore = 0; // no automatic attempt before this time (backoff)
  let retryTimer = null;

  function backoff() {
    failures += 1;
    const ceiling = Math.min(maxMs, baseMs * 2 ** (failures - 1));
    const delay = ceiling / 2 + Math.random() * (ceiling / 2); // "equal jitter"
    notBefore = Date.now() + delay;
    clearTimeout(retryTimer);
    retryTimer = setTimeout(() => kick(), delay);
  }

  async function reportAttention() {
    for (const item of await queue.attentionItems()) {
      const body = { ...item.payload, status: item.status, response: item.response };
      const result = await postJson(attentionUrl, body, timeoutMs);
      if (result.status >= 200 && result.status < 300) {
        await queue.removeAttention(item.id); // staff have it on the server now
      } else {
        return; // endpoint missing or server down: keep it here, shown in the staff corner
      }
    }
  }

  async function drain() {
    for (const record of await queue.pendingItems()) {
      const result = await postJson(signupsUrl, record.payload, timeoutMs);
      const kind = classify(result.status);
      if (kind === 'done') {
        await queue.remove(record.id);
        await queue.setMeta('lastSync', new Date().toISOString());
        failures = 0;
      } else if (kind === 'attention') {
        await queue.moveToAttention(record, result.status, result.body);
      } else {
        await queue.bumpAttempts(record);
        onChange();
        backoff();
        return; // the server or network is unwell: stop and wait, do not hammer it
      }
      onChange();
    }
    await reportAttention();
  }

  async function loop() {
    do {
      again = false;
      try {
        await drain();
      } catch (error) {
        console.error('sync failed', error); // IndexedDB trouble: try again later
        backoff();
      }
      onChange();
    } while (again && Date.now() >= notBefore);
  }

  /** Try to send now. Without `force`, an attempt during backoff is skipped. */
  function kick(force = false) {
    if (force) {
      failures = 0;
      notBefore = 0;
    }
    if (!force && Date.now() < notBefore) return running || Promise.resolve();
    if (running) {
      again = true; // something new was queued mid-run: go round once more
      return running;
    }
    running = loop().finally(() => { running = null; });
    return running;
  }

  return { kick, get failures() { return failures; } };
}
