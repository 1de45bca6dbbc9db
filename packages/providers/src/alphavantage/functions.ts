import type { Adjustment, Interval, ProviderErrorKind } from '@stockade/core';
import type { AlphaVantageInstrument } from '../symbols/alphavantage-dialect.js';

/** The Alpha Vantage call that serves a bar request. */
export interface SeriesPlan {
  /** Query parameters, `function` first; the key is added by the adapter. */
  params: Record<string, string>;
  /** The adjustment that function applies, stated on the series. */
  adjustment: Adjustment;
  /** Time zone of the stamps when the meta data names none. */
  defaultZone: string;
  /** Currency of the prices. */
  currency: string;
}

/** Why no Alpha Vantage call can serve a bar request. */
export interface SeriesRefusal {
  /** The reason, in words. */
  unavailable: string;
  /** `unavailable` (never served) or `bad_request` (not an interval at all). */
  kind: ProviderErrorKind;
}

const INTRADAY: Readonly<Partial<Record<Interval, string>>> = {
  '1m': '1min',
  '5m': '5min',
  '15m': '15min',
  '30m': '30min',
  '1h': '60min',
};
const INTRADAY_MS: Readonly<Partial<Record<Interval, number>>> = {
  '1m': 60_000,
  '5m': 300_000,
  '15m': 900_000,
  '30m': 1_800_000,
  '1h': 3_600_000,
};
const PERIOD: Readonly<Partial<Record<Interval, 'DAILY' | 'WEEKLY' | 'MONTHLY'>>> = {
  '1d': 'DAILY',
  '1w': 'WEEKLY',
  '1mo': 'MONTHLY',
};
// A compact answer holds the latest 100 entries: trading days for daily, bars for intraday.
const COMPACT_DAYS = 100 * (7 / 5) - 5;

function monthOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 7);
}

/**
 * Picks the function for a bar request, or says why none serves it: intraday series are
 * split- and dividend-adjusted by default (`adjusted=false` gives raw), daily/weekly/monthly ones
 * raw (the adjusted daily series is premium); crypto and fx have daily, weekly and monthly only.
 */
export function planSeries(
  instrument: AlphaVantageInstrument,
  interval: Interval,
  adjustment: Adjustment | undefined,
  range: { fromMs: number; toMs: number },
  now: number,
): SeriesPlan | SeriesRefusal {
  const period = PERIOD[interval];
  const intraday = INTRADAY[interval];
  if (period === undefined && intraday === undefined)
    return { unavailable: `interval ${String(interval)} is not one Alpha Vantage serves`, kind: 'bad_request' };
  if (instrument.kind !== 'equity') {
    if (period === undefined)
      return { unavailable: `Alpha Vantage has no free intraday ${instrument.kind} series`, kind: 'unavailable' };
    if (adjustment !== undefined && adjustment !== 'raw')
      return {
        unavailable: `Alpha Vantage ${instrument.kind} series are raw; ${adjustment} was asked`,
        kind: 'unavailable',
      };
    return instrument.kind === 'crypto'
      ? {
          params: { function: `DIGITAL_CURRENCY_${period}`, symbol: instrument.symbol, market: instrument.market },
          adjustment: 'raw',
          defaultZone: 'UTC',
          currency: instrument.market,
        }
      : {
          params: {
            function: `FX_${period}`,
            from_symbol: instrument.from,
            to_symbol: instrument.to,
            outputsize: 'full',
          },
          adjustment: 'raw',
          defaultZone: 'UTC',
          currency: instrument.to,
        };
  }
  if (period !== undefined) {
    if (adjustment !== undefined && adjustment !== 'raw') {
      return {
        unavailable: `Alpha Vantage's free ${period.toLowerCase()} series is raw (the adjusted one is premium); ${adjustment} was asked`,
        kind: 'unavailable',
      };
    }
    const params: Record<string, string> = { function: `TIME_SERIES_${period}`, symbol: instrument.symbol };
    if (period === 'DAILY') params.outputsize = now - range.fromMs <= COMPACT_DAYS * 86_400_000 ? 'compact' : 'full';
    return { params, adjustment: 'raw', defaultZone: 'US/Eastern', currency: instrument.currency };
  }
  if (adjustment === 'split')
    return {
      unavailable: 'Alpha Vantage intraday series are either raw or split- and dividend-adjusted; split was asked',
      kind: 'unavailable',
    };
  const params: Record<string, string> = {
    function: 'TIME_SERIES_INTRADAY',
    symbol: instrument.symbol,
    interval: intraday as string,
  };
  if (adjustment === 'raw') params.adjusted = 'false';
  const lastMonth = monthOf(range.toMs - 1);
  if (monthOf(range.fromMs) === lastMonth && lastMonth !== monthOf(now)) params.month = lastMonth;
  else params.outputsize = now - range.fromMs <= 100 * (INTRADAY_MS[interval] as number) ? 'compact' : 'full';
  return {
    params,
    adjustment: adjustment ?? 'split_dividend',
    defaultZone: 'US/Eastern',
    currency: instrument.currency,
  };
}
