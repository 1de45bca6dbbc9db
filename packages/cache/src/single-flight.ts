/** Options of {@link createSingleFlight}. */
export interface SingleFlightOptions {
  /** Called each time a caller joins a load already in flight. @default undefined */
  onJoin?: () => void;
}

/**
 * Coalesces concurrent loads of one key in this process: the first caller starts the load, later
 * callers wait for the same promise.
 *
 * Each caller keeps its own `AbortSignal` (unlike lru-cache's `fetch()`, where the first caller's
 * signal governs everyone): an abort rejects only that caller. The load gets its own signal, which
 * aborts only once every waiter has aborted — a caller that passed no signal can never abort, so
 * its load always runs to the end.
 */
export interface SingleFlight<T> {
  /** Runs `load` for `key`, or joins the run already in flight. */
  run(key: string, load: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T>;
  /** Whether a load of `key` is in flight. */
  has(key: string): boolean;
  /** Loads in flight. */
  readonly size: number;
  /** Aborts every load in flight (on close); their waiters reject with `reason`. */
  abortAll(reason: unknown): void;
}

interface Flight<T> {
  promise: Promise<T>;
  controller: AbortController;
  waiters: number;
}

/**
 * Creates a {@link SingleFlight}.
 *
 * @example
 * const flight = createSingleFlight<Quote>();
 * const [a, b] = await Promise.all([
 *   flight.run('AAPL', (signal) => fetchQuote('AAPL', { signal })),
 *   flight.run('AAPL', (signal) => fetchQuote('AAPL', { signal })), // joins: one upstream call
 * ]);
 */
export function createSingleFlight<T>(options: SingleFlightOptions = {}): SingleFlight<T> {
  const flights = new Map<string, Flight<T>>();
  const onJoin = options.onJoin;

  function start(key: string, load: (signal: AbortSignal) => Promise<T>): Flight<T> {
    const controller = new AbortController();
    let promise: Promise<T>;
    try {
      promise = load(controller.signal);
    } catch (err) {
      promise = Promise.reject(err);
    }
    const flight: Flight<T> = { promise, controller, waiters: 0 };
    const done = () => {
      if (flights.get(key) === flight) flights.delete(key);
    };
    // Registered before any waiter's handlers, so the key is free again when they resume.
    promise.then(done, done);
    flights.set(key, flight);
    return flight;
  }

  function join(key: string, flight: Flight<T>, signal: AbortSignal | undefined): Promise<T> {
    flight.waiters++;
    if (signal === undefined) return flight.promise;
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        flight.waiters--;
        reject(signal.reason);
        if (flight.waiters === 0) {
          // Nobody wants the answer any more: stop the load, and let the next caller start afresh.
          if (flights.get(key) === flight) flights.delete(key);
          flight.controller.abort(signal.reason);
        }
      };
      signal.addEventListener('abort', onAbort, { once: true });
      flight.promise.then(
        (value) => {
          signal.removeEventListener('abort', onAbort);
          resolve(value);
        },
        (err) => {
          signal.removeEventListener('abort', onAbort);
          reject(err);
        },
      );
    });
  }

  return {
    run(key, load, signal) {
      if (signal?.aborted) return Promise.reject(signal.reason);
      let flight = flights.get(key);
      if (flight === undefined) flight = start(key, load);
      else onJoin?.();
      return join(key, flight, signal);
    },
    has: (key) => flights.has(key),
    get size() {
      return flights.size;
    },
    abortAll(reason) {
      for (const flight of flights.values()) flight.controller.abort(reason);
      flights.clear();
    },
  };
}
