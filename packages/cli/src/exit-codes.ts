/**
 * What `stockade` exits with. Scripts can rely on these numbers.
 *
 * | code | meaning |
 * | --- | --- |
 * | 0 | done |
 * | 1 | the command ran and something failed: a preflight check, a symbol without a quote, an unhealthy report, a provider or config error |
 * | 2 | usage error: unknown command or option, a missing or malformed argument |
 * | 130 | interrupted (SIGINT or SIGTERM) before the command finished |
 */
export const ExitCode = Object.freeze({
  /** Done. */
  ok: 0,
  /** The command ran and something failed. */
  failure: 1,
  /** Unknown command or option, missing or malformed argument. */
  usage: 2,
  /** Interrupted by a signal. */
  interrupted: 130,
});

/** One of the {@link ExitCode} values. */
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
