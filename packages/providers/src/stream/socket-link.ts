import { subscribe as subscribeChannel } from 'node:diagnostics_channel';
import type { Socket } from 'node:net';
import { Agent, buildConnector, ping, WebSocket } from 'undici';

/** What a {@link SocketLink} reports to its owner. */
export interface SocketLinkHandlers {
  /** The handshake completed. */
  onOpen(): void;
  /** A text frame (string) or binary frame (bytes) arrived. */
  onFrame(data: string | Uint8Array): void;
  /** A pong arrived (the answer to our ping). */
  onPong(): void;
  /** The socket closed, for whatever reason; called once. */
  onClose(code: number, reason: string, error: unknown): void;
}

/** One WebSocket connection, with pings the browser API does not offer. */
export interface SocketLink {
  /** Sends a text frame; false when the socket is not open. */
  send(text: string): boolean;
  /** Sends a WebSocket ping. */
  ping(): void;
  /** Starts the closing handshake. */
  close(code?: number, reason?: string): void;
  /** Destroys the socket at once: a dead peer never answers the closing handshake. */
  terminate(): void;
  /** Whether the handshake completed and the socket is not closing. */
  readonly open: boolean;
}

/** Options of {@link openSocketLink}. */
export interface SocketLinkOptions {
  /** Extra handshake headers (Yahoo wants a browser-like `Origin`). @default {} */
  headers?: Record<string, string>;
}

const baseConnector = buildConnector({});

// undici reports pongs only on this diagnostics channel; one subscriber routes them to the link
// that owns the socket, so that dead connections are found by missing pongs, not by silence.
const pongRoutes = new WeakMap<object, () => void>();
let pongChannelHooked = false;
function hookPongChannel(): void {
  if (pongChannelHooked) return;
  pongChannelHooked = true;
  subscribeChannel('undici:websocket:pong', (message) => {
    const socket = (message as { websocket?: object } | null)?.websocket;
    if (socket !== undefined) pongRoutes.get(socket)?.();
  });
}

/**
 * Opens a WebSocket with undici's client. Frames are delivered as they are read; the link never
 * buffers, so a slow listener slows only itself.
 */
export function openSocketLink(url: string, handlers: SocketLinkHandlers, options: SocketLinkOptions = {}): SocketLink {
  hookPongChannel();
  let closed = false;
  let lastError: unknown;
  const finish = (code: number, reason: string) => {
    if (closed) return;
    closed = true;
    handlers.onClose(code, reason, lastError);
  };
  // undici's WebSocket has no terminate(): a private dispatcher whose connector keeps the socket
  // lets a dead connection be destroyed instead of waiting forever for a close frame.
  let socket: Socket | undefined;
  const agent = new Agent({
    connections: 1,
    connect: (connectOptions, callback) =>
      baseConnector(connectOptions, (err, s) => {
        if (s !== null) socket = s;
        (callback as (e: Error | null, s: Socket | null) => void)(err, s);
      }),
  });
  const release = () => {
    agent.destroy().catch(() => {});
  };
  let ws: WebSocket;
  try {
    ws = new WebSocket(url, { headers: options.headers ?? {}, dispatcher: agent });
  } catch (err) {
    // A malformed URL throws synchronously; report it like any other failed connection.
    lastError = err;
    release();
    queueMicrotask(() => finish(1006, 'could not open'));
    return { send: () => false, ping() {}, close() {}, terminate() {}, open: false };
  }
  ws.binaryType = 'arraybuffer';
  pongRoutes.set(ws, handlers.onPong);
  ws.onopen = () => handlers.onOpen();
  ws.onmessage = (event) => {
    const data: unknown = event.data;
    handlers.onFrame(typeof data === 'string' ? data : new Uint8Array(data as ArrayBuffer));
  };
  ws.onerror = (event) => {
    lastError = (event as { error?: unknown }).error ?? lastError;
  };
  ws.onclose = (event) => {
    release();
    finish(event.code, event.reason);
  };
  return {
    send(text) {
      if (ws.readyState !== WebSocket.OPEN) return false;
      ws.send(text);
      return true;
    },
    ping() {
      if (ws.readyState === WebSocket.OPEN) ping(ws);
    },
    close(code = 1000, reason = '') {
      if (ws.readyState === WebSocket.CLOSED) return;
      try {
        ws.close(code, reason);
      } catch {
        ws.close();
      }
    },
    terminate() {
      if (socket !== undefined) socket.destroy();
      else ws.close();
    },
    get open() {
      return ws.readyState === WebSocket.OPEN;
    },
  };
}
