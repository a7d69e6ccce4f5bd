// Registers the service worker (offline use, and cross-origin isolation on static hosts
// that cannot send the COOP/COEP headers themselves).

/** canReload(): whether reloading now would lose nothing (no photo open yet). */
export async function registerServiceWorker({ canReload = () => true } = {}) {
  if (!('serviceWorker' in navigator)) return null;
  const registration = await navigator.serviceWorker.register(new URL('../sw.js', import.meta.url), { scope: '../' });
  // Served without isolation headers, but the worker (which adds them) now controls the
  // page: one reload makes threads available. sessionStorage stops a loop if that fails.
  const reloadForIsolation = () => {
    if (crossOriginIsolated || !navigator.serviceWorker.controller || !canReload()) return;
    if (sessionStorage.getItem('defocus-isolation-reload')) return;
    sessionStorage.setItem('defocus-isolation-reload', '1');
    location.reload();
  };
  reloadForIsolation();
  navigator.serviceWorker.addEventListener('controllerchange', reloadForIsolation);
  return registration;
}
