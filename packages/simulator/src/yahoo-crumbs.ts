import { hashOf, hexIdOf } from './prng.js';

const CRUMB_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789./';

/** Outcome of checking a crumb against the cookie it was issued for. */
export type CrumbCheck = 'ok' | 'missing' | 'invalid' | 'expired';

/**
 * Yahoo's cookie-and-crumb session: a cookie endpoint sets an `A3` cookie, `/v1/test/getcrumb`
 * turns that cookie into a crumb, and `/v7/finance/quote` wants both. Crumbs can be expired all at
 * once (the `expiredCrumb` fault); a new `getcrumb` call then issues a fresh one.
 */
export interface CrumbStore {
  /** A new `A3` cookie value. */
  issueCookie(): string;
  /** The session of the `A3` cookie in a `Cookie` header, or null. */
  sessionOf(cookieHeader: string | undefined): string | null;
  /** The session's crumb, issuing a new one when it has none or its crumb expired. */
  crumbFor(session: string): string;
  /** Checks a crumb presented with a cookie. */
  check(session: string | null, crumb: string | null): CrumbCheck;
  /** Expires every crumb issued so far. */
  expireAll(): void;
}

/** Creates the crumb store of a simulator; values derive from the seed and a counter. */
export function createCrumbStore(seed: number | string): CrumbStore {
  const cookies = new Set<string>();
  const crumbs = new Map<string, { crumb: string; generation: number }>();
  let issued = 0;
  let generation = 0;
  const makeCrumb = (n: number): string => {
    let out = '';
    for (let i = 0; i < 11; i++) out += CRUMB_ALPHABET[hashOf(seed, 'crumb', n, i) % CRUMB_ALPHABET.length];
    return out;
  };
  return {
    issueCookie() {
      issued += 1;
      const id = hexIdOf(seed, 'cookie', issued);
      cookies.add(id);
      return `d=AQABBA${id.toUpperCase()}EAAQ&S=AQAAA${hexIdOf(seed, 'cookie-sig', issued).slice(0, 22)}`;
    },
    sessionOf(cookieHeader) {
      if (cookieHeader === undefined) return null;
      const m = /(?:^|;\s*)A3=d=AQABBA([0-9A-F]{32})EAAQ/.exec(cookieHeader);
      const id = m?.[1]?.toLowerCase();
      return id !== undefined && cookies.has(id) ? id : null;
    },
    crumbFor(session) {
      const current = crumbs.get(session);
      if (current !== undefined && current.generation === generation) return current.crumb;
      issued += 1;
      const crumb = makeCrumb(issued);
      crumbs.set(session, { crumb, generation });
      return crumb;
    },
    check(session, crumb) {
      if (crumb === null || crumb === '') return 'missing';
      if (session === null) return 'invalid';
      const current = crumbs.get(session);
      if (current === undefined || current.crumb !== crumb) return 'invalid';
      return current.generation === generation ? 'ok' : 'expired';
    },
    expireAll() {
      generation += 1;
    },
  };
}
