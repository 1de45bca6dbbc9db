import type { ProviderName } from '@stockade/simulator';
import { FAULTS, type FaultSpec, faultById } from './fault-catalog.js';
import type { CellSpec } from './matrix-cell.js';
import { PROVIDERS } from './matrix-harness.js';

/** The cell of one fault on one provider, that provider asked first. */
export function singleCell(provider: ProviderName, fault: FaultSpec): CellSpec {
  return {
    id: `${provider}/${fault.id}`,
    label: `${provider}: ${fault.label}`,
    faults: { [provider]: fault.faults },
    order: [provider],
    proofs: { [provider]: fault.served },
    breakers: { [provider]: fault.breaker },
    ...(fault.quota === undefined ? {} : { quota: { provider, ...fault.quota } }),
    ...(fault.consensus === true ? { consensus: true, wrongPrice: [provider] } : {}),
  };
}

/** Every provider × every fault it can have. */
export function singleCells(): CellSpec[] {
  return PROVIDERS.flatMap((p) => FAULTS.filter((f) => f.providers.includes(p)).map((f) => singleCell(p, f)));
}

/** Two providers faulted at once, the first asked first and the second next. */
export function pairCell(
  label: string,
  first: [ProviderName, string],
  second: [ProviderName, string],
  id = `pair/${first[0]}-${first[1]}+${second[0]}-${second[1]}`,
): CellSpec {
  const a = faultById(first[1]);
  const b = faultById(second[1]);
  const quota =
    a.quota !== undefined
      ? { provider: first[0], ...a.quota }
      : b.quota !== undefined
        ? { provider: second[0], ...b.quota }
        : undefined;
  return {
    id,
    label,
    faults: { [first[0]]: a.faults, [second[0]]: b.faults },
    order: [first[0], second[0]],
    proofs: { [first[0]]: a.served, [second[0]]: b.served },
    breakers: { [first[0]]: a.breaker, [second[0]]: b.breaker },
    ...(quota === undefined ? {} : { quota }),
  };
}

/** The named pairs run at every size: the combinations production post-mortems describe. */
export function namedPairs(): CellSpec[] {
  return [
    pairCell('polygon 401 while massive throttles (429)', ['polygon', '401'], ['massive', '429']),
    pairCell('polygon 500 while yahoo hangs', ['polygon', '500'], ['yahoo', 'hang']),
    pairCell("polygon out of quota while yahoo's crumb expires", ['polygon', 'quota'], ['yahoo', 'crumb']),
    pairCell('massive resets while polygon sends malformed JSON', ['massive', 'reset'], ['polygon', 'malformed']),
    pairCell('polygon schema drift while massive is not entitled (403)', ['polygon', 'drift'], ['massive', '403']),
    pairCell('yahoo slow body while polygon answers 503', ['yahoo', 'slow-body'], ['polygon', '503']),
    pairCell('alphavantage bad key while yahoo throttles (429)', ['alphavantage', '401'], ['yahoo', '429']),
    pairCell('polygon hangs while massive answers 502', ['polygon', 'hang'], ['massive', '502']),
  ];
}

/** Every provider down at once (500): only the last known good is left, and it must be marked stale. */
export function everyProviderDown(): CellSpec {
  const f = faultById('500');
  return {
    id: 'all/500',
    label: 'every provider 500 (last known good)',
    faults: Object.fromEntries(PROVIDERS.map((p) => [p, f.faults])),
    order: [...PROVIDERS],
    proofs: Object.fromEntries(PROVIDERS.map((p) => [p, f.served])),
    breakers: Object.fromEntries(PROVIDERS.map((p) => [p, 'opens' as const])),
  };
}

/** Faults combined in the full run's every-pair sweep. */
export const PAIR_SWEEP_FAULTS = ['500', '401', '429', 'hang', 'malformed', 'reset'] as const;

/** Full run: every pair of providers × every pair of {@link PAIR_SWEEP_FAULTS}. */
export function everyPair(): CellSpec[] {
  const out: CellSpec[] = [];
  for (let i = 0; i < PROVIDERS.length; i++) {
    for (let j = i + 1; j < PROVIDERS.length; j++) {
      const a = PROVIDERS[i] as ProviderName;
      const b = PROVIDERS[j] as ProviderName;
      for (const fa of PAIR_SWEEP_FAULTS) {
        for (const fb of PAIR_SWEEP_FAULTS) {
          out.push(pairCell(`${a} ${fa} + ${b} ${fb}`, [a, fa], [b, fb], `sweep/${a}-${fa}+${b}-${fb}`));
        }
      }
    }
  }
  return out;
}
