// The kiosk's service worker, served at /kiosk/sw.js so its scope is /kiosk/.
//
// Network first, cache as fallback, for everything the kiosk page loads: when the
// booth is online a re-bound tablet always gets its new session and fresh files;
// when it is offline the last good copy opens at once. The kiosk HTML is sent with
// Cache-Control: no-store so the *browser* never keeps it; this cache is the one
// deliberate copy, and it holds no personal data (the form is always empty in it).
// /kiosk/setup and /kiosk/exit (staff pages) and /api/ are never cached.

const CACHE = 'kiosk-shell-v1';
const NETWORK_TIMEOUT_MS = 4000;
const SCREEN = new URL('./', self.registration.scope).pathname; // "/kiosk/"

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

function cacheable(url) {
  return url.origin === self.location.origin
    && (url.pathname === SCREEN || url.pathname.startsWith('/static/')
      || url.pathname.startsWith(`${SCREEN}qr/`));
}

function keyFor(url) {
  // One copy of the screen per language it is asked for in (?lang=), whatever else
  // the query string holds.
  if (url.pathname !== SCREEN) return url.pathname + url.search;
  const lang = url.searchParams.get('lang');
  return lang ? `${SCREEN}?lang=${encodeURIComponent(lang)}` : SCREEN;
}

// A race, not an AbortSignal: re-creating a navigation Request to add a signal
// would change its mode and how redirects come back.
function fetchWithTimeout(request) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error('timeout')), NETWORK_TIMEOUT_MS);
  });
  return Promise.race([fetch(request), timeout]).finally(() => clearTimeout(timer));
}

async function networkFirst(request) {
  const url = new URL(request.url);
  const cache = await caches.open(CACHE);
  let response;
  try {
    response = await fetchWithTimeout(request);
  } catch {
    // The screen in another language beats no screen at all.
    const cached = (await cache.match(keyFor(url)))
      || (url.pathname === SCREEN ? await cache.match(SCREEN) : undefined);
    return cached || Response.error();
  }
  if (response.ok && !response.redirected && response.type === 'basic') {
    await cache.put(keyFor(url), response.clone());
  } else if (url.pathname === SCREEN && response.type === 'opaqueredirect') {
    // The server sent the screen to /kiosk/setup: this tablet is no longer bound.
    await caches.delete(CACHE);
  }
  return response;
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (!cacheable(url)) return;
  event.respondWith(networkFirst(request));
});

async function precache(urls) {
  const cache = await caches.open(CACHE);
  let ok = true;
  await Promise.all(urls.map(async (href) => {
    const url = new URL(href, self.location.origin);
    if (!cacheable(url)) return;
    try {
      const response = await fetch(url, { credentials: 'same-origin', cache: 'no-cache' });
      if (response.ok && !response.redirected) await cache.put(keyFor(url), response);
      else ok = false;
    } catch {
      ok = false;
    }
  }));
  return ok;
}

self.addEventListener('message', (event) => {
  const reply = (value) => event.ports[0]?.postMessage(value);
  if (event.data?.type === 'precache') {
    event.waitUntil(precache(event.data.urls).then((ok) => reply(ok ? 'cached' : 'partial')));
  } else if (event.data?.type === 'clear') {
    event.waitUntil(caches.delete(CACHE).then(() => reply('cleared')));
  }
});
