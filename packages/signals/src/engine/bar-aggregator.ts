import { INTERVAL_MS, type Interval, ValidationError } from '@stockade/core';
import type { AgentBar } from '../agents/agent.js';

/** A live price, as the aggregator reads it. */
export interface PriceTick {
  /** Price. */
  price: number;
  /** When it was true, epoch ms. */
  asOf: number;
  /** Cumulative session volume, when the source sends it. */
  volume?: number;
}

const DAY_MS = 86_400_000;

/**
 * Builds bars of one interval from a stream of quotes, per symbol, and hands over each bar when the
 * first quote of the next interval arrives (that is when it is known to be closed). Intraday bars
 * are aligned on epoch multiples of the interval; daily, weekly and monthly bars on the session date
 * that `sessionDate` gives (New York for US listings). A bar's volume is the growth of the
 * cumulative session volume across it, when quotes carry one.
 */
export class BarAggregator {
  private readonly open = new Map<string, { key: string; bar: AgentBar; lastVolume: number | undefined }>();
  private readonly intervalMs: number | undefined;

  constructor(
    private readonly interval: Interval,
    private readonly sessionDate: (at: number) => string,
  ) {
    this.intervalMs = INTERVAL_MS[interval];
  }

  /** The bucket key of an instant: the bar it belongs to. */
  bucketOf(at: number): string {
    if (this.intervalMs !== undefined) return String(Math.floor(at / this.intervalMs) * this.intervalMs);
    const date = this.sessionDate(at);
    if (this.interval === '1d') return date;
    if (this.interval === '1mo') return date.slice(0, 7);
    if (this.interval === '1w') {
      const day = Date.parse(`${date}T00:00:00Z`);
      const monday = day - ((new Date(day).getUTCDay() + 6) % 7) * DAY_MS;
      return new Date(monday).toISOString().slice(0, 10);
    }
    throw new ValidationError(`unsupported interval ${this.interval}`, [{ path: 'interval', message: 'unsupported' }]);
  }

  /** The bucket key of a history bar: its session date when it has one and the interval is daily or longer. */
  bucketOfBar(bar: AgentBar): string {
    if (this.intervalMs === undefined && bar.sessionDate !== undefined) {
      return this.interval === '1d' ? bar.sessionDate : this.bucketOf(Date.parse(`${bar.sessionDate}T16:00:00Z`));
    }
    return this.bucketOf(bar.t);
  }

  /** Starts the current bar of `symbol` from a partial bar (the forming bar a history request returned). */
  seed(symbol: string, bar: AgentBar, volume?: number): void {
    this.open.set(symbol, { key: this.bucketOfBar(bar), bar: { ...bar }, lastVolume: volume });
  }

  /** Adds a quote; returns the bar it closed, if it is the first quote of a new interval. */
  add(symbol: string, tick: PriceTick): AgentBar | null {
    const key = this.bucketOf(tick.asOf);
    const current = this.open.get(symbol);
    const p = tick.price;
    if (current !== undefined && current.key === key) {
      const bar = current.bar;
      if (p > bar.h) bar.h = p;
      if (p < bar.l) bar.l = p;
      bar.c = p;
      if (tick.volume !== undefined && current.lastVolume !== undefined) {
        bar.v = (bar.v ?? 0) + Math.max(0, tick.volume - current.lastVolume);
      }
      if (tick.volume !== undefined) current.lastVolume = tick.volume;
      return null;
    }
    const start = this.intervalMs !== undefined ? Number(key) : tick.asOf;
    const next: AgentBar = { t: start, o: p, h: p, l: p, c: p };
    if (this.intervalMs === undefined) next.sessionDate = this.sessionDate(tick.asOf);
    // A new session restarts cumulative volume; within one, the volume before this bar belongs to the last.
    const sameSession = current !== undefined && this.intervalMs !== undefined;
    const lastVolume = sameSession ? (tick.volume ?? current?.lastVolume) : tick.volume;
    if (!sameSession && tick.volume !== undefined) next.v = tick.volume;
    this.open.set(symbol, { key, bar: next, lastVolume });
    return current === undefined ? null : current.bar;
  }
}
