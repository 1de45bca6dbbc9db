/** The providers the simulator speaks for. */
export const PROVIDER_NAMES = ['yahoo', 'alphavantage', 'polygon', 'massive'] as const;

/** One of {@link PROVIDER_NAMES}. */
export type ProviderName = (typeof PROVIDER_NAMES)[number];

/** Whether `value` names a provider the simulator speaks for. */
export function isProviderName(value: unknown): value is ProviderName {
  return typeof value === 'string' && (PROVIDER_NAMES as readonly string[]).includes(value);
}
