/**
 * The URL to fetch for a `next_url`. The key goes as a Bearer header, so it must never reach
 * another host: a `next_url` on a different origin (api.polygon.io behind a proxy, the rebrand's
 * api.massive.com) is replayed on the configured base URL, and any `apiKey` parameter is removed.
 * Returns `undefined` for a `next_url` that is not a URL.
 */
export function nextPageUrl(nextUrl: string, baseUrl: string): URL | undefined {
  let next: URL;
  try {
    next = new URL(nextUrl, baseUrl);
  } catch {
    return undefined;
  }
  const base = new URL(baseUrl);
  next.searchParams.delete('apiKey');
  next.searchParams.delete('apikey');
  if (next.origin === base.origin) return next;
  const prefix = base.pathname.replace(/\/+$/, '');
  return new URL(`${base.origin}${prefix}${next.pathname}${next.search}`);
}
