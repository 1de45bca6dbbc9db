import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Whether a `redis-server` binary is on the PATH. */
export function redisServerAvailable(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** Finds a free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const sock = new Socket();
      sock.once('connect', () => {
        sock.end();
        resolve();
      });
      sock.once('error', () => {
        sock.destroy();
        if (Date.now() > deadline)
          reject(new Error(`redis-server did not listen on port ${port} within ${timeoutMs} ms`));
        else setTimeout(attempt, 25);
      });
      sock.connect(port, '127.0.0.1');
    };
    attempt();
  });
}

/** A private redis-server on a loopback port, that a test can stop and start again. */
export interface RedisServer {
  /** The port it listens on (kept across restarts). */
  readonly port: number;
  /** `redis://127.0.0.1:PORT`. */
  readonly url: string;
  /** Whether the process is running. */
  readonly running: boolean;
  /** Starts it again after {@link stop} on the same port. */
  start(): Promise<void>;
  /** Stops it (SIGTERM, waits for exit). */
  stop(): Promise<void>;
}

/**
 * Starts a private `redis-server` with no persistence on a free loopback port.
 * Extra `args` are passed through (e.g. `['--cluster-enabled', 'yes']`).
 */
export async function startRedisServer(options: { port?: number; args?: string[] } = {}): Promise<RedisServer> {
  const port = options.port ?? (await freePort());
  const dir = mkdtempSync(join(tmpdir(), 'stockade-redis-'));
  let proc: ChildProcess | null = null;

  const start = async () => {
    if (proc !== null) return;
    const child = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        dir,
        ...(options.args ?? []),
      ],
      { stdio: 'ignore' },
    );
    proc = child;
    child.once('exit', () => {
      if (proc === child) proc = null;
    });
    await waitForPort(port, 10_000);
  };

  const stop = async () => {
    const child = proc;
    if (child === null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
    proc = null;
  };

  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    get running() {
      return proc !== null;
    },
    start,
    async stop() {
      await stop();
    },
  };
}
