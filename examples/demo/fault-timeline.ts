import type { FaultPlan, ProviderFaults, ProviderName, Simulator } from '@stockade/simulator';

/** One scripted change of the simulator's faults. */
export interface FaultStep {
  /** Cycle (1-based) at whose start it happens. */
  cycle: number;
  /** What the viewer is told. */
  label: string;
  /** The faults set, per provider; `clear` ends every fault. */
  set: FaultPlan | 'clear';
}

/**
 * The demo's script on a 30-cycle scale (8 s calm, Massive 401 at 8, Yahoo slow at 12, Alpha
 * Vantage out of quota at 16, everything healed at 22, end at 30), stretched to `cycles`.
 */
export function faultTimeline(cycles: number): FaultStep[] {
  const at = (of30: number) => Math.max(1, Math.round((of30 / 30) * cycles)) + 1;
  return [
    {
      cycle: at(8),
      label: 'Massive answers 401 Unknown API Key',
      set: { massive: { badKey: true } },
    },
    {
      cycle: at(12),
      label: 'Yahoo turns slow (every answer 1500 ms late)',
      set: { yahoo: { latency: { fixedMs: 1_500 } } },
    },
    {
      cycle: at(16),
      label: 'Alpha Vantage hits its quota (5 a minute, 25 a day)',
      set: { alphavantage: { quota: { perMinute: 5, perDay: 25 } } },
    },
    { cycle: at(22), label: 'every fault cleared: watch the recovery', set: 'clear' },
  ];
}

/** Applies one step to the simulator. */
export function applyFaultStep(sim: Simulator, step: FaultStep): void {
  if (step.set === 'clear') {
    sim.faults.clear();
    return;
  }
  for (const [provider, faults] of Object.entries(step.set) as Array<[ProviderName, ProviderFaults]>) {
    sim.faults.set(provider, faults);
  }
}
