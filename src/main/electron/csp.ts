/**
 * The renderer's Content-Security-Policy: only its own files, no inline script, nothing remote.
 * No electron import here: the build config and the browser preview use it too.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');
