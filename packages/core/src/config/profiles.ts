import type { LogLevel } from '../logging/levels.js';
import type { HealthThresholds, Mode, Profile } from './schema.js';

/** What a profile changes from the plain defaults. */
export interface ProfilePreset {
  /** Health thresholds; production is stricter than development. */
  health: HealthThresholds;
  /** Default log level. */
  logging: { level: LogLevel };
  /** Production always defaults to live data: simulated prices must never reach a real book. */
  mode?: Mode;
}

/**
 * The defaults each profile sets, shown by `explain()` with source `profile NAME`.
 *
 * | setting | development | test | production |
 * | --- | --- | --- | --- |
 * | `health.degradedSuccessRate` | 0.8 | 0.8 | 0.95 |
 * | `health.unhealthySuccessRate` | 0.5 | 0.5 | 0.8 |
 * | `health.latencyFactor` | 3 | 3 | 2 |
 * | `health.consecutiveFailuresAlert` | 5 | 3 | 3 |
 * | `health.quotaWarnRatio` | 0.9 | 0.9 | 0.8 |
 * | `logging.level` | info | warn | info |
 * | `mode` | (from keys) | (from keys) | live |
 */
export const profilePresets: Readonly<Record<Profile, ProfilePreset>> = Object.freeze({
  development: {
    health: {
      degradedSuccessRate: 0.8,
      unhealthySuccessRate: 0.5,
      latencyFactor: 3,
      consecutiveFailuresAlert: 5,
      quotaWarnRatio: 0.9,
    },
    logging: { level: 'info' },
  },
  test: {
    health: {
      degradedSuccessRate: 0.8,
      unhealthySuccessRate: 0.5,
      latencyFactor: 3,
      consecutiveFailuresAlert: 3,
      quotaWarnRatio: 0.9,
    },
    logging: { level: 'warn' },
  },
  production: {
    health: {
      degradedSuccessRate: 0.95,
      unhealthySuccessRate: 0.8,
      latencyFactor: 2,
      consecutiveFailuresAlert: 3,
      quotaWarnRatio: 0.8,
    },
    logging: { level: 'info' },
    mode: 'live',
  },
});
