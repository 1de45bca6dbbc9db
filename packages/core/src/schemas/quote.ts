import { z } from 'zod';
import { SymbolSchema } from './symbol.js';

/** Which session a quote's price belongs to. Mirrors the market calendar's sessions. */
export const MarketState = z.enum(['pre', 'regular', 'post', 'closed', 'unknown']);
/** See {@link MarketState}. */
export type MarketState = z.infer<typeof MarketState>;

const price = z.number().finite().nonnegative();
const epochMs = z.number().int().nonnegative();

/**
 * The latest price of one instrument, normalized from any provider.
 *
 * A field the provider did not send stays absent (a missing bid is never `0`); `change` and
 * `changePercent` are `null` when the provider gives no previous close.
 */
export const Quote = z.object({
  /** Canonical symbol. */
  symbol: SymbolSchema,
  /** Last trade (or, where a provider has no trades, last known) price. */
  price,
  /** Best bid, when the provider sends one. */
  bid: price.optional(),
  /** Best ask, when the provider sends one. */
  ask: price.optional(),
  /** Size at the best bid. */
  bidSize: z.number().finite().nonnegative().optional(),
  /** Size at the best ask. */
  askSize: z.number().finite().nonnegative().optional(),
  /** Volume traded in the current (or last) session. */
  volume: z.number().finite().nonnegative().optional(),
  /** Session open. */
  open: price.optional(),
  /** Session high. */
  high: price.optional(),
  /** Session low. */
  low: price.optional(),
  /** Previous session's close. */
  previousClose: price.optional(),
  /** `price - previousClose`, or null when unknown. */
  change: z.number().finite().nullable(),
  /** Change in percent (1.5 means +1.5 %), or null when unknown. */
  changePercent: z.number().finite().nullable(),
  /** ISO 4217 currency of the price (crypto pairs: the quote currency). */
  currency: z.string().min(3).max(5),
  /** Exchange or venue the provider names, e.g. `NMS`, `XNAS`, `CCC`. */
  exchange: z.string(),
  /** Session the price belongs to. */
  marketState: MarketState,
  /** When the price was true at the source, epoch ms UTC. */
  asOf: epochMs,
  /** Provider that answered (`consensus` when several agreed). */
  provider: z.string().min(1),
  /**
   * Older than its freshness TTL: served while a refresh runs (stale-while-revalidate), or as the
   * last known good value because no provider answered.
   */
  stale: z.boolean(),
  /** The provider's plan delays this data (e.g. 15 minutes). */
  delayed: z.boolean(),
  /** When Stockade received it, epoch ms UTC. */
  receivedAt: epochMs,
});
/** See {@link Quote}. */
export type Quote = z.infer<typeof Quote>;

/** One trade print. */
export const Trade = z.object({
  /** Canonical symbol. */
  symbol: SymbolSchema,
  /** Trade price. */
  price,
  /** Trade size (fractional for crypto). */
  size: z.number().finite().nonnegative(),
  /** Exchange id or code, when known. */
  exchange: z.union([z.string(), z.number()]).optional(),
  /** Trade condition codes, when known. */
  conditions: z.array(z.number().int()).optional(),
  /** Trade time, epoch ms UTC. */
  t: epochMs,
  /** Provider that reported it. */
  provider: z.string().min(1),
});
/** See {@link Trade}. */
export type Trade = z.infer<typeof Trade>;
