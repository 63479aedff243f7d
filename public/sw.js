// Vejkort's service worker: keeps a copy of the app in the browser so it opens with the network unplugged.
//
// What to copy comes from precache.json, which scripts/precache-manifest.mjs writes after every Trunk build,
// and the same script writes the build's fingerprint into BUILD below: a new build is a new worker, which copies
// the new files and drops the old copy. Requests go to the network first (so an online visit always gets the
// build that is served) and fall back to the copy when the network fails. The language model is left alone: the
// analysis worker keeps it in its own cache (crates/worker/src/model.rs), and copying 72 MB on every install
// would cost every visitor a second download.
const BUILD = '__VEJKORT_BUILD__';
const PREFIX = 'vejkort-app-';
const CACHE = PREFIX + BUILD;

// "Delete all my data" tells the worker to keep nothing more: an unregistered worker still serves its open pages
// until they close, and must not write back the copy that was just deleted.
let keeping = true;
self.addEventListener('message', (event) => {
  if (event.data === 'vejkort:forget') keeping = false;
});

const inScope = (url) => url.origin === self.location.origin && url.href.startsWith(self.registration.scope);
const leftAlone = (url) => url.pathname.includes('/models/');

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      let files = [];
      try {
        const manifest = await fetch('precache.json', { cache: 'no-store' });
        if (manifest.ok) files = (await manifest.json()).files ?? [];
      } catch {
        // No manifest (a build without the hook): the app is still cached file by file as it is used.
      }
      await Promise.all(
        files.map(async (file) => {
          try {
            const response = await fetch(file, { cache: 'no-store' });
            if (response.ok) await cache.put(file, response);
          } catch {
            // One missing file must not keep the others from being cached.
          }
        }),
      );
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

async function fromNetworkOrCopy(request) {
  try {
    const response = await fetch(request);
    if (keeping && response.ok && response.type === 'basic' && response.status === 200) {
      const copy = response.clone();
      caches.open(CACHE).then((cache) => cache.put(request, copy)).catch(() => {});
    }
    return response;
  } catch (offline) {
    // A page opened with a query (?project=…) is the same page: its copy was stored without one. (caches.match,
    // not caches.open: opening would create the cache again after a wipe.)
    const copy =
      (await caches.match(request, { cacheName: CACHE, ignoreSearch: true })) ??
      (request.mode === 'navigate' ? await caches.match('index.html', { cacheName: CACHE }) : undefined);
    if (copy) return copy;
    throw offline;
  }
}

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || !inScope(url) || leftAlone(url)) return;
  event.respondWith(fromNetworkOrCopy(event.request));
});
