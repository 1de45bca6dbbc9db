// Quotes in ten lines. With no provider keys in the environment this runs on the bundled
// simulator; set POLYGON_API_KEY, MASSIVE_API_KEY or ALPHA_VANTAGE_API_KEY to use the real APIs.
//   node --import tsx examples/quickstart.ts
import { createMarketDataManager } from '@stockade/market-data';

const md = createMarketDataManager({ config: { logging: { level: 'warn' } } });
md.on('alert.raised', (e) => console.warn(`alert: ${e.alert.message}`));
for (const a of await md.quotes(['AAPL', 'MSFT', 'BTC-USD'], { signal: AbortSignal.timeout(5_000) })) {
  console.log(
    a.symbol.padEnd(8),
    a.ok
      ? `${a.quote.price.toFixed(2)} via ${a.quote.provider}${a.quote.stale ? ' (stale)' : ''}`
      : `error: ${a.error.message}`,
  );
}
await md.close(); // ends timers, sockets and the embedded simulator: the process exits on its own
