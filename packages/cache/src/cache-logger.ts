/**
 * What the cache needs of a logger: pino's `(object, message)` call shape, so core's `Logger`,
 * pino itself or a child of either can be passed as is.
 */
export interface CacheLogger {
  /** Something degraded (Redis unreachable, a background refresh failed). */
  warn(obj: Record<string, unknown>, msg: string): void;
  /** Something recovered (Redis is back). */
  info(obj: Record<string, unknown>, msg: string): void;
  /** Per-event detail (each L2 error while already degraded). */
  debug(obj: Record<string, unknown>, msg: string): void;
}

const ignore = (): void => {};

/** A logger that drops everything; the default. */
export const silentLogger: CacheLogger = Object.freeze({ warn: ignore, info: ignore, debug: ignore });
