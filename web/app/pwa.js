// Registers the service worker (offline use, and cross-origin isolation on static hosts
// that cannot send the COOP/COEP headers themselves).
export async function registerServiceWorker() {
  if (!('serviceWorker' in navigator)) return null;
  const registration = await navigator.serviceWorker.register(new URL('../sw.js', import.meta.url), { scope: '../' });
  // Served without isolation headers but now controlled by the worker, which adds them:
  // one reload makes threads available. sessionStorage stops a loop if that fails.
  if (!crossOriginIsolated && navigator.serviceWorker.controller && !sessionStorage.getItem('defocus-isolation-reload')) {
    sessionStorage.setItem('defocus-isolation-reload', '1');
    location.reload();
  }
  return registration;
}
