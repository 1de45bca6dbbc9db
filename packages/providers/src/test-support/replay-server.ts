import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { gzipSync } from 'node:zlib';

/** One answer of the replay server. */
export interface ReplayResponse {
  /** HTTP status. @default 200 */
  status?: number;
  /** Body. */
  body?: string | Buffer;
  /** Extra headers. */
  headers?: Record<string, string | string[]>;
  /** Send the body gzip-encoded. */
  gzip?: boolean;
  /** Send headers and part of the body, then never finish. */
  hang?: boolean;
}

/** A request the replay server received. */
export interface RecordedRequest {
  /** Path and query as sent. */
  path: string;
  /** Parsed URL. */
  url: URL;
  /** Headers. */
  headers: IncomingHttpHeaders;
}

/** A loopback HTTP server that replays recorded provider bodies. */
export interface ReplayServer {
  /** `http://127.0.0.1:PORT`. */
  url: string;
  /** Every request received, in order. */
  requests: RecordedRequest[];
  /** Sockets currently open. */
  openSockets(): number;
  /** Sockets the server saw close. */
  closedSockets(): number;
  /** Sockets ever opened. */
  connections(): number;
  /** Closes the server and every socket. */
  close(): Promise<void>;
}

const root = new URL('../../../../../shared/', import.meta.url);

/** Reads a file of `/work/shared/fixtures` (`yahoo/quote-AAPL-BABA.json`). */
export function fixture(path: string): string {
  return readFileSync(new URL(`fixtures/${path}`, root), 'utf8');
}

/** Reads a file of `/work/shared/eval/fixtures`. */
export function evalFixture(path: string): string {
  return readFileSync(new URL(`eval/fixtures/${path}`, root), 'utf8');
}

/** The folder URL of a provider's fixtures, for listing them. */
export function fixtureDir(kind: 'fixtures' | 'eval/fixtures', provider: string): URL {
  return new URL(`${kind}/${provider}/`, root);
}

/** Starts a {@link ReplayServer} on loopback; `handler` picks the answer for each request. */
export async function startReplayServer(
  handler: (req: RecordedRequest) => ReplayResponse | Promise<ReplayResponse>,
): Promise<ReplayServer> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  let closed = 0;
  let opened = 0;
  const server = createServer((req, res) => {
    const path = req.url ?? '/';
    const recorded: RecordedRequest = { path, url: new URL(path, 'http://replay.invalid'), headers: req.headers };
    requests.push(recorded);
    Promise.resolve(handler(recorded)).then(
      (answer) => {
        let body = typeof answer.body === 'string' ? Buffer.from(answer.body) : (answer.body ?? Buffer.alloc(0));
        const headers: Record<string, string | string[]> = { 'content-type': 'application/json', ...answer.headers };
        if (answer.gzip === true) {
          body = gzipSync(body);
          headers['content-encoding'] = 'gzip';
        }
        if (answer.hang === true) {
          res.writeHead(answer.status ?? 200, headers);
          res.write(body.subarray(0, Math.max(1, Math.floor(body.length / 2))));
          return;
        }
        headers['content-length'] = String(body.length);
        res.writeHead(answer.status ?? 200, headers);
        res.end(body);
      },
      () => {
        res.writeHead(500);
        res.end('replay handler failed');
      },
    );
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    opened++;
    socket.on('close', () => {
      sockets.delete(socket);
      closed++;
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    openSockets: () => sockets.size,
    closedSockets: () => closed,
    connections: () => opened,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
