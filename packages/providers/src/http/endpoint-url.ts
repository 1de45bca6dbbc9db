/**
 * Builds a request URL from a provider's base URL, which may carry a path prefix
 * (`http://127.0.0.1:4000/polygon`), an API path and query parameters. Path segments are given
 * already encoded (see {@link encodePathSegment}); `undefined` parameters are left out.
 */
export function endpointUrl(
  baseUrl: string,
  apiPath: string,
  query: Record<string, string | number | undefined> = {},
): URL {
  const base = new URL(baseUrl);
  const prefix = base.pathname.replace(/\/+$/, '');
  const url = new URL(`${base.origin}${prefix}${apiPath.startsWith('/') ? apiPath : `/${apiPath}`}`);
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined) url.searchParams.set(name, String(value));
  }
  return url;
}

/** Percent-encodes one path segment, keeping `:` readable (`X:BTCUSD`), as the providers write it. */
export function encodePathSegment(segment: string): string {
  return encodeURIComponent(segment).replace(/%3A/gi, ':');
}
