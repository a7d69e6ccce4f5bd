// Service worker: makes the page work offline after one visit, and adds the
// cross-origin isolation headers (threads) on static hosts that cannot send them.
// Network first, so a rebuilt site shows at once; the cache answers when offline.
const cacheName = 'defocus';

const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

function isolated(response) {
  if (response.type === 'opaque' || response.status === 0) return response;
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(isolationHeaders)) headers.set(name, value);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

// Everything the site needs (precache.json is written by the build: the app shell, the
// engine, ONNX Runtime's files and every model).
self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const list = await (await fetch('precache.json', { cache: 'no-cache' })).json();
    const cache = await caches.open(cacheName);
    await cache.addAll(list.files);
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

async function networkFirst(request) {
  const cache = await caches.open(cacheName);
  try {
    const response = await fetch(request);
    if (response.ok && request.method === 'GET') {
      // Large files (engine, models) are stored again only when they changed.
      const cached = await cache.match(request, { ignoreSearch: true });
      const tag = response.headers.get('etag');
      if (!cached || !tag || cached.headers.get('etag') !== tag) await cache.put(request, response.clone());
    }
    return isolated(response);
  } catch (err) {
    const cached = await cache.match(request, { ignoreSearch: true });
    if (cached) return isolated(cached);
    throw err;
  }
}

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (url.origin !== self.location.origin || event.request.method !== 'GET') return;
  event.respondWith(networkFirst(event.request));
});
