// baseUrl options name folders: made absolute (against the page, or what the caller gives)
// and given their trailing slash.

/** A folder URL with its trailing slash, so relative names resolve inside it and not one folder up. */
export function folderUrl(url, base = globalThis.location?.href) {
  const folder = new URL(url, base);
  if (!folder.pathname.endsWith('/')) folder.pathname += '/';
  return folder;
}
