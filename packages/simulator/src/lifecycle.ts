import type { Socket } from 'node:net';

/** Tracks what a running simulator holds open, so that `stop()` can let the process exit. */
export interface Lifecycle {
  /** Whether `stop()` has begun. */
  readonly stopped: boolean;
  /** Waits `ms`; resolves `true` when the time passed, `false` when the simulator stopped first. */
  sleep(ms: number): Promise<boolean>;
  /** Tracks a connection until it closes. */
  track(socket: Socket): void;
  /** Clears every timer, ends every wait and destroys every connection, hanging ones included. */
  stop(): void;
}

/** Creates the lifecycle of one simulator. */
export function createLifecycle(): Lifecycle {
  const sockets = new Set<Socket>();
  const waits = new Map<NodeJS.Timeout, (done: boolean) => void>();
  let stopped = false;
  return {
    get stopped() {
      return stopped;
    },
    sleep(ms) {
      if (stopped) return Promise.resolve(false);
      if (ms <= 0) return Promise.resolve(true);
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          waits.delete(timer);
          resolve(true);
        }, ms);
        timer.unref();
        waits.set(timer, resolve);
      });
    },
    track(socket) {
      if (stopped) {
        socket.destroy();
        return;
      }
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
    },
    stop() {
      stopped = true;
      for (const [timer, resolve] of waits) {
        clearTimeout(timer);
        resolve(false);
      }
      waits.clear();
      for (const socket of sockets) socket.destroy();
      sockets.clear();
    },
  };
}
