import type { MarketDataManager } from '@stockade/market-data';
import { Registry } from 'prom-client';

/** Scrapes a manager's Prometheus metrics as a fresh registry would serve them, text format. */
export async function dumpMetrics(md: MarketDataManager): Promise<string> {
  const registry = new Registry();
  await md.metrics.register(registry);
  return registry.metrics();
}
