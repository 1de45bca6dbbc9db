import { newYorkWallClock } from '@stockade/core';
import type { RouteContext, SimReply } from '../route.js';

/** Alpha Vantage answers every call with 200 and pretty-prints its JSON with four spaces. */
export function avReply(body: unknown): SimReply {
  return { status: 200, body, indent: 4 };
}

/** `{"Error Message": "Invalid API call. … for FUNCTION."}`, Alpha Vantage's answer to a bad call. */
export function invalidCall(fn: string): SimReply {
  return avReply({
    'Error Message': `Invalid API call. Please retry or visit the documentation (https://www.alphavantage.co/documentation/) for ${fn}.`,
  });
}

/** `HH:MM:SS` of a millisecond count since midnight. */
function clockTime(msOfDay: number): string {
  const s = Math.floor(msOfDay / 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}`;
}

/** `YYYY-MM-DD HH:MM:SS` on New York's wall clock (Alpha Vantage's US/Eastern stamps). */
export function easternStamp(at: number): string {
  const w = newYorkWallClock(at);
  return `${w.date} ${clockTime(w.msOfDay)}`;
}

/** `YYYY-MM-DD HH:MM:SS` in UTC. */
export function utcStamp(at: number): string {
  return new Date(at).toISOString().slice(0, 19).replace('T', ' ');
}

/** A number as Alpha Vantage writes it: a string with fixed decimals. */
export function fixed(value: number, digits: number): string {
  return value.toFixed(digits);
}

/** Renames `from` to `to` in every object of `records` when the schema-drift fault is on. */
export function driftKeys(ctx: RouteContext, records: Record<string, unknown>[], from: string, to: string): void {
  if (ctx.faults.schemaDrift !== true) return;
  for (const r of records) {
    if (!(from in r)) continue;
    const entries = Object.entries(r).map(([k, v]) => [k === from ? to : k, v] as const);
    for (const k of Object.keys(r)) delete r[k];
    Object.assign(r, Object.fromEntries(entries));
  }
  ctx.served('schemaDrift');
}

/** Names of the currencies the simulator knows, as Alpha Vantage spells them. */
export const CURRENCY_NAMES: Readonly<Record<string, string>> = {
  USD: 'United States Dollar',
  EUR: 'Euro',
  GBP: 'British Pound Sterling',
  JPY: 'Japanese Yen',
  CHF: 'Swiss Franc',
  CAD: 'Canadian Dollar',
  AUD: 'Australian Dollar',
  BTC: 'Bitcoin',
  ETH: 'Ethereum',
  SOL: 'Solana',
  USDT: 'Tether',
  USDC: 'USD Coin',
};
