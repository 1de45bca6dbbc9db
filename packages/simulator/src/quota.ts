import type { ProviderName } from './provider-name.js';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** Which quota a request broke. */
export type QuotaBreach = 'minute' | 'day';

/** Counts requests against per-minute and per-day quotas on the simulator clock. */
export interface QuotaTracker {
  /**
   * Admits a request at `now` or says which quota it breaks. Admitted requests are counted;
   * refused ones are not (real providers answer them without spending quota).
   */
  admit(
    provider: ProviderName,
    quota: { perMinute?: number; perDay?: number } | undefined,
    now: number,
  ): QuotaBreach | null;
  /** Forgets every count. */
  reset(): void;
}

/**
 * Creates a quota tracker: a sliding 60-second window for the per-minute quota (so advancing the
 * clock a minute frees it) and the UTC calendar day for the per-day quota.
 */
export function createQuotaTracker(): QuotaTracker {
  const minute = new Map<ProviderName, number[]>();
  const day = new Map<ProviderName, { day: number; count: number }>();
  return {
    admit(provider, quota, now) {
      if (quota === undefined || (quota.perMinute === undefined && quota.perDay === undefined)) return null;
      const today = Math.floor(now / DAY_MS);
      let daily = day.get(provider);
      if (daily === undefined || daily.day !== today) {
        daily = { day: today, count: 0 };
        day.set(provider, daily);
      }
      if (quota.perDay !== undefined && daily.count >= quota.perDay) return 'day';
      let recent = minute.get(provider) ?? [];
      recent = recent.filter((t) => t > now - MINUTE_MS && t <= now);
      minute.set(provider, recent);
      if (quota.perMinute !== undefined && recent.length >= quota.perMinute) return 'minute';
      recent.push(now);
      daily.count += 1;
      return null;
    },
    reset() {
      minute.clear();
      day.clear();
    },
  };
}
