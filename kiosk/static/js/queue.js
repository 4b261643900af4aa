// The tablet's outbox in IndexedDB. A sign-up is written here before anything else,
// so the thank-you screen never waits for the network, and it is deleted as soon as
// the server acknowledges it: personal data stays on the tablet no longer than needed.
//
// Stores:
//   pending   – {id, payload, queuedAt, attempts}           waiting to be sent
//   attention – {id, payload, status, response, movedAt}    refused by the server (422/409/403/404)
//   meta      – {key, value}                                 e.g. lastSync; never personal data

const DB_NAME = 'kiosk-outbox';
const DB_VERSION = 1;
let opening = null;

function promisify(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

export function openDb() {
  if (!opening) {
    opening = new Promise((resolve, reject) => {
      const request = indexedDB.open(DB_NAME, DB_VERSION);
      request.onupgradeneeded = () => {
        const db = request.result;
        db.createObjectStore('pending', { keyPath: 'id' });
        db.createObjectStore('attention', { keyPath: 'id' });
        db.createObjectStore('meta', { keyPath: 'key' });
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => {
        opening = null;
        reject(request.error);
      };
    });
  }
  return opening;
}

// Run `work(stores)` in one transaction and resolve once it has committed to disk.
async function transact(names, mode, work) {
  const db = await openDb();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(names, mode, { durability: 'strict' });
    const stores = Object.fromEntries(names.map((n) => [n, tx.objectStore(n)]));
    let result;
    Promise.resolve(work(stores)).then((value) => { result = value; }, reject);
    tx.oncomplete = () => resolve(result);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error || new Error('transaction aborted'));
  });
}

export function add(payload) {
  const record = { id: payload.id, payload, queuedAt: Date.now(), attempts: 0 };
  return transact(['pending'], 'readwrite', ({ pending }) => { pending.add(record); });
}

/** Items to send: fewest attempts first, so one bad item cannot block the rest. */
export async function pendingItems() {
  const items = await transact(['pending'], 'readonly', ({ pending }) => promisify(pending.getAll()));
  return items.sort((a, b) => a.attempts - b.attempts || a.queuedAt - b.queuedAt);
}

export function remove(id) {
  return transact(['pending'], 'readwrite', ({ pending }) => { pending.delete(id); });
}

export function bumpAttempts(record) {
  const next = { ...record, attempts: record.attempts + 1 };
  return transact(['pending'], 'readwrite', ({ pending }) => { pending.put(next); });
}

/** Move a refused item out of the send loop, in one transaction so it is never in neither. */
export function moveToAttention(record, status, response) {
  const item = { id: record.id, payload: record.payload, status, response, movedAt: Date.now() };
  return transact(['pending', 'attention'], 'readwrite', ({ pending, attention }) => {
    attention.put(item);
    pending.delete(record.id);
  });
}

export function attentionItems() {
  return transact(['attention'], 'readonly', ({ attention }) => promisify(attention.getAll()));
}

export function removeAttention(id) {
  return transact(['attention'], 'readwrite', ({ attention }) => { attention.delete(id); });
}

export function counts() {
  return transact(['pending', 'attention'], 'readonly', ({ pending, attention }) => {
    // Both requests are made before either resolves, so the transaction stays open.
    const requests = [pending.count(), attention.count()];
    return Promise.all(requests.map(promisify)).then(([p, a]) => ({ pending: p, attention: a }));
  });
}

export async function getMeta(key) {
  const row = await transact(['meta'], 'readonly', ({ meta }) => promisify(meta.get(key)));
  return row ? row.value : undefined;
}

export function setMeta(key, value) {
  return transact(['meta'], 'readwrite', ({ meta }) => { meta.put({ key, value }); });
}
