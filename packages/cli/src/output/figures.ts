const grouped = (value: number, digits: number) =>
  value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

const decimalsFor = (price: number) => {
  const size = Math.abs(price);
  return size >= 10 ? 2 : size >= 1 ? 4 : 6;
};

/** A price as a trader reads it: 2 decimals from 10 up (grouped by thousands), 4 from 1, 6 below; `-` when absent. */
export function formatPrice(value: number | null | undefined): string {
  if (value === undefined || value === null || !Number.isFinite(value)) return '-';
  return grouped(value, decimalsFor(value));
}

/** A signed price change with the decimals of `price` (its quote): `+1.25` on 281.07, `-0.0045` on 1.2279; `-` when unknown. */
export function formatChange(value: number | null | undefined, price: number): string {
  if (value === undefined || value === null || !Number.isFinite(value)) return '-';
  return (value > 0 ? '+' : '') + grouped(value, decimalsFor(price));
}

/** A percentage already in percent (1.5 is +1.5 %), signed: `+1.50%`; `-` when unknown. */
export function formatPercentChange(percent: number | null | undefined): string {
  if (percent === undefined || percent === null || !Number.isFinite(percent)) return '-';
  return `${percent > 0 ? '+' : ''}${percent.toFixed(2)}%`;
}

/** A fraction as a percentage (0.125 is `12.5%`); `signed` adds `+` to gains; `-` when null. */
export function formatRatio(fraction: number | null | undefined, options: { signed?: boolean } = {}): string {
  if (fraction === undefined || fraction === null || !Number.isFinite(fraction)) return '-';
  const sign = options.signed && fraction > 0 ? '+' : '';
  return `${sign}${(fraction * 100).toFixed(1)}%`;
}

/** A count or volume, grouped by thousands (`34,993,711`); fractional crypto volumes keep 2 decimals. */
export function formatQuantity(value: number | null | undefined): string {
  if (value === undefined || value === null || !Number.isFinite(value)) return '-';
  return grouped(value, Number.isInteger(value) ? 0 : 2);
}

/** A plain decimal with `digits` places, `-` when null. */
export function formatDecimal(value: number | null | undefined, digits = 2): string {
  if (value === undefined || value === null || !Number.isFinite(value)) return '-';
  return value.toFixed(digits);
}

/** Milliseconds, rounded: `87 ms`; `-` when null. */
export function formatMs(value: number | null | undefined): string {
  if (value === undefined || value === null || !Number.isFinite(value)) return '-';
  return `${Math.round(value)} ms`;
}

/** An instant in UTC to the second: `2026-11-20 21:00:00Z`. */
export function formatInstant(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(0, 19).replace('T', ' ')}Z`;
}

/** The UTC date of an instant: `2026-11-20`. */
export function formatDate(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10);
}
