/**
 * The naive peer of the cycle benchmark: what the trading service in the post-mortem did. Every
 * cycle asks every provider for every symbol, one symbol per call, one call at a time, with no
 * cache, and takes the median price per symbol. Only the provider adapters are shared with
 * Stockade (same undici keep-alive pools, same parsing), so the difference is the manager.
 */
import type { Clock } from '@stockade/core';
import {
  alphaVantageProvider,
  massiveProvider,
  type Provider,
  polygonProvider,
  yahooProvider,
} from '@stockade/providers';
import type { Simulator } from '@stockade/simulator';

/** Provider order of the naive client, the same as the manager's default priority. */
export const PROVIDER_ORDER = ['polygon', 'massive', 'yahoo', 'alphavantage'] as const;

/** A provider name of the benchmark. */
export type BenchProvider = (typeof PROVIDER_ORDER)[number];

/** One symbol's answer in a naive cycle. */
export interface NaiveAnswer {
  /** The symbol asked. */
  symbol: string;
  /** The median price, or undefined when no provider answered. */
  price: number | undefined;
  /** Providers whose price went into the answer. */
  providers: string[];
  /** When the newest price used was received (clock ms). */
  receivedAt: number | undefined;
  /** Providers that failed, with the error kind or message. */
  failed: Array<{ provider: string; reason: string }>;
}

/** The naive client; see {@link createNaiveClient}. */
export interface NaiveClient {
  /** The adapters, in {@link PROVIDER_ORDER}. */
  readonly providers: readonly Provider[];
  /** 6 symbols × 4 providers = 24 sequential calls, median per symbol. */
  consensusCycle(symbols: readonly string[]): Promise<NaiveAnswer[]>;
  /** One call per symbol to the first provider that answers, sequentially. */
  failoverCycle(symbols: readonly string[]): Promise<NaiveAnswer[]>;
  /** Closes every pool. */
  close(): Promise<void>;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** Builds one adapter per provider, pointed at the simulator, as a hand-written service would. */
export function createNaiveClient(sim: Simulator, clock: Clock): NaiveClient {
  const key = 'k'.repeat(32);
  const providers: Provider[] = [
    polygonProvider({ baseUrl: sim.url('polygon'), apiKey: key, clock }),
    massiveProvider({ baseUrl: sim.url('massive'), apiKey: key, clock }),
    yahooProvider({ baseUrl: sim.url('yahoo'), cookieUrl: `${sim.url('yahoo')}/fc`, clock }),
    alphaVantageProvider({ baseUrl: sim.url('alphavantage'), apiKey: key, clock }),
  ];

  async function ask(p: Provider, symbol: string): Promise<{ price: number; receivedAt: number } | { reason: string }> {
    try {
      const { quotes, errors } = await p.quotes([symbol]);
      const q = quotes[0];
      if (q !== undefined) return { price: q.price, receivedAt: q.receivedAt };
      return { reason: errors[0]?.error.kind ?? 'no answer' };
    } catch (err) {
      return { reason: (err as { kind?: string }).kind ?? String(err) };
    }
  }

  return {
    providers,
    async consensusCycle(symbols) {
      const out: NaiveAnswer[] = [];
      for (const symbol of symbols) {
        const prices: number[] = [];
        const used: string[] = [];
        const failed: NaiveAnswer['failed'] = [];
        let receivedAt: number | undefined;
        for (const p of providers) {
          const r = await ask(p, symbol);
          if ('price' in r) {
            prices.push(r.price);
            used.push(p.name);
            receivedAt = Math.max(receivedAt ?? 0, r.receivedAt);
          } else failed.push({ provider: p.name, reason: r.reason });
        }
        out.push({
          symbol,
          price: prices.length > 0 ? median(prices) : undefined,
          providers: used,
          receivedAt,
          failed,
        });
      }
      return out;
    },
    async failoverCycle(symbols) {
      const out: NaiveAnswer[] = [];
      for (const symbol of symbols) {
        const failed: NaiveAnswer['failed'] = [];
        let answer: NaiveAnswer | undefined;
        for (const p of providers) {
          const r = await ask(p, symbol);
          if ('price' in r) {
            answer = { symbol, price: r.price, providers: [p.name], receivedAt: r.receivedAt, failed };
            break;
          }
          failed.push({ provider: p.name, reason: r.reason });
        }
        out.push(answer ?? { symbol, price: undefined, providers: [], receivedAt: undefined, failed });
      }
      return out;
    },
    async close() {
      await Promise.all(providers.map((p) => p.close()));
    },
  };
}
