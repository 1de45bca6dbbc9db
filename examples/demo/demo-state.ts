import type { HealthReport } from '@stockade/core';
import type { QuoteResult } from '@stockade/market-data';
import type { SignalsPanel } from './signals-panel.js';
import type { StreamPanel } from './stream-panel.js';

/** One line of the alert log. */
export interface AlertLine {
  /** Simulated (or real) time, epoch ms. */
  at: number;
  /** Raised or cleared. */
  kind: 'raised' | 'cleared';
  /** Alert id (`TYPE:SUBJECT`). */
  id: string;
  /** Severity, for raised alerts. */
  severity?: string;
  /** The alert's sentence. */
  message: string;
}

/** One line of the event log: faults injected and cleared, breakers. */
export interface EventLine {
  /** Cycle it happened in. */
  cycle: number;
  /** What happened. */
  text: string;
}

/** Everything the view shows after one cycle. */
export interface DemoFrame {
  /** `simulator` or `live`. */
  mode: 'simulator' | 'live';
  /** Set-up lines for the header. */
  setup: readonly string[];
  /** This cycle, 1-based. */
  cycle: number;
  /** Cycles in the run. */
  cycles: number;
  /** The manager's clock now. */
  now: number;
  /** The fault phase now. */
  phase: string;
  /** This cycle's answers. */
  quotes: readonly QuoteResult[];
  /** Symbols whose quote was fetched upstream in this cycle (not served from the cache). */
  fetched: ReadonlySet<string>;
  /** How long this cycle's `quotes()` took, real ms. */
  cycleMs: number;
  /** Health at level 1. */
  health: HealthReport;
  /** Alert log, oldest first. */
  alerts: readonly AlertLine[];
  /** Event log, oldest first. */
  events: readonly EventLine[];
  /** The signals panel. */
  signals: SignalsPanel;
  /** The streamed-prices column. */
  stream: StreamPanel;
}
