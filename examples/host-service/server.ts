// A small HTTP service embedding a MarketDataManager: /health, /metrics, /quotes, /signals, and a
// graceful stop on SIGTERM. See README.md beside this file.
//   STOCKADE_MODE=simulator node --import tsx examples/host-service/server.ts --port 8080
//   node --import tsx examples/host-service/server.ts --simulator http://127.0.0.1:4010
//   POLYGON_API_KEY=… node --import tsx examples/host-service/server.ts        # the real APIs
import { createServer } from 'node:http';
import { ConfigError } from '@stockade/core';
import { Registry } from 'prom-client';
import { createRequestTracker } from './graceful-shutdown.js';
import { createRoutes } from './routes.js';
import { createServiceManager } from './service-manager.js';
import { serviceOptions, USAGE } from './service-options.js';
import { startSignalBoard } from './signal-board.js';

let parsed: ReturnType<typeof serviceOptions>;
let service: ReturnType<typeof createServiceManager>;
try {
  parsed = serviceOptions(process.argv.slice(2), process.env);
  if (parsed.help) {
    console.log(USAGE);
    process.exit(0);
  }
  service = createServiceManager(parsed.options.target, process.env);
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  console.error(err.message);
  process.exit(2); // systemd: a configuration error is not worth restarting for
}
const options = parsed.options;
const { md, logger } = service;
const log = logger.child({ component: 'service' });

await md.ready();
const registry = new Registry();
await md.metrics.register(registry);
const board = startSignalBoard(md, options.signalSymbols, { logger: log });
const tracker = createRequestTracker({ requestTimeoutMs: options.requestTimeoutMs });
const routes = createRoutes({ md, registry, board, log });
const server = createServer(
  tracker.wrap(async (req, res, signal) => {
    log.debug({ method: req.method, url: req.url }, 'request received');
    res.on('finish', () => log.info({ method: req.method, url: req.url, status: res.statusCode }, 'request answered'));
    await routes(req, res, signal);
  }),
);

await new Promise<void>((resolve, reject) => {
  server.once('error', reject);
  server.listen(options.port, options.host, () => resolve());
});
const address = server.address();
const port = typeof address === 'object' && address !== null ? address.port : options.port;
log.info(
  { host: options.host, port, providers: await md.providers() },
  `listening; providers point at ${service.target}`,
);

let stopping = false;
async function stop(signalName: NodeJS.Signals): Promise<void> {
  if (stopping) {
    log.warn({ signal: signalName }, 'second stop signal: exiting now');
    process.exit(1);
  }
  stopping = true;
  log.info({ signal: signalName }, 'stop signal received');
  await tracker.drain(server, { drainTimeoutMs: options.drainTimeoutMs, log });
  await board.close();
  log.info('signal engine stopped');
  await md.close();
  log.info('manager closed; exiting with 0');
  process.exitCode = 0;
  // Nothing should keep the process alive now; if something does, say so rather than hang until
  // systemd's TimeoutStopSec kills it. unref(): this timer alone does not keep it alive.
  setTimeout(() => {
    log.error('still running 5 s after closing everything: a handle leaked; exiting with 1');
    process.exit(1);
  }, 5_000).unref();
}
for (const signalName of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signalName, () => {
    stop(signalName).catch((err: unknown) => {
      log.fatal({ err }, 'shutdown failed');
      process.exit(1);
    });
  });
}
