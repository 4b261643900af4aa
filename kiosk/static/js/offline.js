// Making the kiosk open with no network: register the service worker and hand it the
// exact list of files this page loaded (HTML, CSS, every ES module, QR images), so the
// cache always matches the page without a hand-kept manifest.

function shellUrls(scope, languages) {
  const screen = new URL(scope, location.href).pathname;
  // Both languages of the screen, so the language toggle works offline too.
  const urls = new Set([screen, ...languages.map((lang) => `${screen}?lang=${lang}`)]);
  const add = (href) => {
    const url = new URL(href, location.href);
    if (url.origin === location.origin && !url.pathname.startsWith('/api/')) {
      urls.add(url.pathname + url.search);
    }
  };
  for (const entry of performance.getEntriesByType('resource')) add(entry.name);
  for (const el of document.querySelectorAll('link[rel="stylesheet"][href], script[src], img[src]')) {
    add(el.getAttribute('href') || el.getAttribute('src'));
  }
  return [...urls];
}

function ask(worker, message, timeoutMs = 10000) {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    const timer = setTimeout(() => resolve(false), timeoutMs);
    channel.port1.onmessage = (event) => { clearTimeout(timer); resolve(event.data); };
    worker.postMessage(message, [channel.port2]);
  });
}

/** Resolves true once the shell is cached. Never rejects: the kiosk works online regardless. */
export async function enableOffline({ swUrl, scope, languages = [] }) {
  if (!('serviceWorker' in navigator) || !('caches' in window)) return false;
  try {
    await navigator.serviceWorker.register(swUrl, { scope });
  } catch {
    // Offline, the update check fails; an already-installed worker keeps serving.
  }
  const registration = await navigator.serviceWorker.getRegistration(scope).catch(() => null);
  if (!registration) return false;
  await navigator.serviceWorker.ready;
  if (document.readyState !== 'complete') {
    await new Promise((resolve) => window.addEventListener('load', resolve, { once: true }));
  }
  if (!navigator.onLine) return Boolean(await caches.match(scope));
  const urls = shellUrls(scope, languages);
  const result = await ask(registration.active, { type: 'precache', urls });
  return result === 'cached';
}

/** Ask the browser not to evict the outbox under storage pressure. */
export async function askToPersist() {
  if (!navigator.storage?.persist) return false;
  try {
    if (await navigator.storage.persisted()) return true;
    return await navigator.storage.persist();
  } catch {
    return false;
  }
}
