import { ValidationError } from '@stockade/core';

/**
 * Scales weights down so that no family holds more than `cap` of the total weight after capping.
 *
 * Agents that read the same indicator family (moving-average crosses, EMA crosses and MACD all
 * follow the trend through moving averages) tend to vote together; the cap stops a crowd of them
 * from outvoting everything else. The result is the fixed point "every capped family holds exactly
 * `cap` of the final total, every other family keeps its weight", found by water-filling from the
 * heaviest family down. A cap below `1 / families` cannot hold for all families at once, so it is
 * raised to `1 / families` (each family then holds at most an equal share).
 *
 * @param weights - weight of each voter (≥ 0).
 * @param families - family of each voter, same order.
 * @param cap - largest share of the total weight one family may hold, in (0, 1]; 1 disables the cap.
 * @returns the capped weights, same order (a new array).
 * @example
 * capFamilyWeights([1, 1, 1, 1], ['ma', 'ma', 'ma', 'rsi'], 0.5); // → [1/3, 1/3, 1/3, 1]
 */
export function capFamilyWeights(weights: readonly number[], families: readonly string[], cap: number): number[] {
  if (!(cap > 0 && cap <= 1)) {
    throw new ValidationError(`familyCap must be in (0, 1], got ${String(cap)}`, [
      { path: 'familyCap', message: 'expected a share of the total weight, e.g. 0.4' },
    ]);
  }
  const out = weights.slice();
  if (cap >= 1 || weights.length === 0) return out;
  const totals = new Map<string, number>();
  weights.forEach((w, i) => {
    const f = families[i] ?? '';
    totals.set(f, (totals.get(f) ?? 0) + w);
  });
  const all = [...totals.values()].reduce((s, w) => s + w, 0);
  if (all <= 0) return out;
  const effectiveCap = Math.max(cap, 1 / totals.size);
  const ranked = [...totals.entries()].sort((a, b) => b[1] - a[1]);
  // Cap the k heaviest families: each then holds effectiveCap × T, where T = rest / (1 − k × cap).
  let rest = all;
  let k = 0;
  let total = all;
  for (; k < ranked.length; k++) {
    total = rest / (1 - k * effectiveCap);
    const next = ranked[k]?.[1] ?? 0;
    if (next <= effectiveCap * total * (1 + 1e-12)) break;
    rest -= next;
  }
  if (k === 0) return out;
  const target = effectiveCap * total;
  const scale = new Map<string, number>();
  for (let j = 0; j < k; j++) {
    const [family, weight] = ranked[j] as [string, number];
    scale.set(family, target / weight);
  }
  for (let i = 0; i < out.length; i++) {
    const s = scale.get(families[i] ?? '');
    if (s !== undefined) out[i] = (out[i] as number) * s;
  }
  return out;
}
