import { ProviderError } from '@stockade/core';
import { endpointUrl } from '../http/endpoint-url.js';
import { responseError } from '../http/errors.js';
import type { Transport } from '../http/transport.js';
import { classifyYahooAnswer } from './errors.js';

/** A cookie and the crumb minted for it; both go with every `/v7/finance/quote` call. */
export interface CrumbSession {
  /** `Cookie` header value. */
  cookie: string;
  /** The crumb query parameter. */
  crumb: string;
}

/** Options of {@link createCrumbJar}. */
export interface CrumbJarOptions {
  /** The provider's transport. */
  transport: Transport;
  /** URL whose answer sets Yahoo's `A3` cookie (any status). */
  cookieUrl: string;
  /** Base URL of the API; the crumb comes from `<base>/v1/test/getcrumb`. */
  baseUrl: string;
  /** `User-Agent` sent: Yahoo throttles requests without a browser-like one. */
  userAgent: string;
}

/** Holds Yahoo's cookie + crumb, fetching them once for all concurrent callers. */
export interface CrumbJar {
  /** The current session, fetched on first use. */
  get(signal?: AbortSignal): Promise<CrumbSession>;
  /** Drops the session after Yahoo rejected it, so the next `get()` fetches a new one. */
  invalidate(rejected: CrumbSession): void;
}

// A crumb is a short token such as `Ab1cD2eF/gh`; the getcrumb endpoint may instead answer with a
// throttle text or an HTML page, which must never be sent as a crumb.
const CRUMB_SHAPE = /^[A-Za-z0-9./_\\-]{1,64}$/;

function cookiesOf(setCookie: string | string[] | undefined): string {
  const lines = Array.isArray(setCookie) ? setCookie : setCookie === undefined ? [] : [setCookie];
  return lines
    .map((line) => line.split(';')[0]?.trim() ?? '')
    .filter((pair) => pair.includes('='))
    .join('; ');
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

/**
 * Creates a {@link CrumbJar}. The cookie/crumb fetch is shared by concurrent callers and runs
 * without any one caller's signal (each caller still stops waiting when its own signal aborts), so
 * one impatient caller cannot fail the fetch for the others. Once every caller waiting on it has
 * aborted, the fetch is abandoned: a hung cookie or crumb endpoint is not waited on by the callers
 * that come after (it would hold them until the socket's own 30 s timeout).
 */
export function createCrumbJar(options: CrumbJarOptions): CrumbJar {
  const { transport } = options;
  const ctx = { provider: transport.provider, operation: 'quotes' };
  let current: Promise<CrumbSession> | undefined;
  let settled: CrumbSession | undefined;

  // Callers waiting on the fetch in flight, and its abort: when every one of them has given up,
  // the fetch is abandoned so a hung cookie/crumb endpoint cannot hold the next callers hostage.
  let waiting = 0;
  let fetchAbort: AbortController | undefined;

  async function fetchSession(signal: AbortSignal): Promise<CrumbSession> {
    const headers = { 'user-agent': options.userAgent };
    const cookieRes = await transport.get(new URL(options.cookieUrl), { headers, operation: 'quotes', signal });
    const cookie = cookiesOf(cookieRes.headers['set-cookie']);
    const crumbRes = await transport.get(endpointUrl(options.baseUrl, '/v1/test/getcrumb'), {
      headers: cookie === '' ? headers : { ...headers, cookie },
      operation: 'quotes',
      signal,
    });
    const crumb = crumbRes.text.trim();
    const failure = classifyYahooAnswer(crumbRes.status, crumbRes.text, undefined);
    if (failure !== undefined) throw responseError(ctx, crumbRes, failure.kind, `getcrumb: ${failure.detail}`);
    if (!CRUMB_SHAPE.test(crumb)) {
      throw responseError(
        ctx,
        crumbRes,
        'bad_response',
        `getcrumb answered with something that is not a crumb (${crumb.length} characters)`,
      );
    }
    return { cookie, crumb };
  }

  return {
    get(signal) {
      if (current === undefined) {
        const controller = new AbortController();
        const pending = fetchSession(controller.signal);
        current = pending;
        fetchAbort = controller;
        waiting = 0;
        settled = undefined;
        pending.then(
          (session) => {
            if (current === pending) settled = session;
            if (fetchAbort === controller) fetchAbort = undefined;
          },
          () => {
            // A failed fetch is not kept: the next caller tries again.
            if (current === pending) current = undefined;
            if (fetchAbort === controller) fetchAbort = undefined;
          },
        );
      }
      const inFlight = fetchAbort;
      if (inFlight !== undefined) waiting++;
      return abortable(current, signal).catch((err: unknown) => {
        if (signal?.aborted) {
          if (inFlight !== undefined && fetchAbort === inFlight && --waiting === 0) {
            current = undefined;
            fetchAbort = undefined;
            inFlight.abort(signal.reason);
          }
          throw signal.reason;
        }
        if (err instanceof ProviderError) throw err;
        throw new ProviderError('cookie/crumb fetch failed', {
          provider: transport.provider,
          kind: 'transient',
          operation: 'quotes',
          cause: err,
        });
      });
    },
    invalidate(rejected) {
      // Only drop the session that was rejected; a newer one fetched (or being fetched) meanwhile stays.
      if (settled !== undefined && settled.crumb === rejected.crumb && settled.cookie === rejected.cookie) {
        current = undefined;
        settled = undefined;
      }
    },
  };
}
