// The one error type of defocus: a stable machine-readable code (DefocusErrorCode in
// load-engine.d.ts) and a one-line message.

export class DefocusError extends Error {
  constructor(code, message) {
    super(message);
    this.name = 'DefocusError';
    this.code = code;
  }
}

/** The error for a file of the package that could not be fetched: it names the URL tried. */
export function missingFile(what, url, why) {
  return new DefocusError('file_missing', `${what} could not be loaded from ${url} (${why}): check baseUrl, or that the file is served`);
}
