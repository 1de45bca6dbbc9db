import { ConfigError, type ConfigIssue } from '@stockade/core';
import { z } from 'zod';

const share = z.number().min(0).max(1);

/**
 * The consensus section of a Stockade configuration (`consensus` in `stockade.config.json`).
 * Every field is optional; defaults are those of `weightedVote`, `priceConsensus` and the adaptive
 * weighting functions.
 */
export const ConsensusConfigSchema = z.strictObject({
  /** |score| needed for BUY or SELL. */
  threshold: share.optional(),
  /** Share of the total weight that must vote. */
  minParticipation: share.optional(),
  /** Largest share of the total weight one indicator family may hold. */
  familyCap: z.number().gt(0).max(1).optional(),
  /** Fixed weight per agent name; every name must be a registered agent. */
  weights: z.record(z.string().min(1), z.number().nonnegative().finite()).optional(),
  /** How weights adapt to tracked outcomes: not at all, by Hedge, or by Beta win rate. */
  adaptive: z.enum(['none', 'hedge', 'beta']).optional(),
  /** Hedge parameters. */
  hedge: z
    .strictObject({ learningRate: z.number().positive().optional(), share: z.number().min(0).lt(1).optional() })
    .optional(),
  /** Beta prior. */
  beta: z
    .strictObject({ priorHits: z.number().positive().optional(), priorMisses: z.number().positive().optional() })
    .optional(),
  /** Cross-source price consensus. */
  price: z
    .strictObject({ madThreshold: z.number().positive().optional(), maxDeviationPct: z.number().positive().optional() })
    .optional(),
});
/** See {@link ConsensusConfigSchema}. */
export type ConsensusConfig = z.infer<typeof ConsensusConfigSchema>;

/** Options of {@link loadConsensusConfig}. */
export interface LoadConsensusConfigOptions {
  /** Names of the agents that exist; a weight for any other name is a configuration error. */
  agents: readonly string[];
  /** Where the values came from, for error messages (e.g. `file ./stockade.config.json`). @default undefined */
  source?: string;
  /** Dotted path of the section, for error messages. @default 'consensus' */
  path?: string;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] as number;
      const cost = a[i - 1]?.toLowerCase() === b[j - 1]?.toLowerCase() ? 0 : 1;
      row[j] = Math.min(above + 1, (row[j - 1] as number) + 1, diagonal + cost);
      diagonal = above;
    }
  }
  return row[b.length] as number;
}

function nearest(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(name.length / 3)) + 1;
  for (const k of known) {
    const d = distance(name, k);
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best;
}

/**
 * Validates the consensus section of a configuration against the agents that exist. Fails at load,
 * listing every problem at once: a misspelt agent in `weights` would otherwise silently weigh
 * nothing while the agent it meant kept the default weight.
 *
 * @throws {ConfigError} for a malformed section or a weight naming an agent that does not exist.
 * @example
 * const config = loadConsensusConfig(json.consensus, { agents: engine.agentNames(), source: 'file ./stockade.config.json' });
 */
export function loadConsensusConfig(raw: unknown, options: LoadConsensusConfigOptions): ConsensusConfig {
  const base = options.path ?? 'consensus';
  const parsed = ConsensusConfigSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map(
        (i): ConfigIssue => ({
          path: [base, ...i.path.map(String)].join('.'),
          message: i.message,
          ...(options.source === undefined ? {} : { source: options.source }),
        }),
      ),
    );
  }
  const known = options.agents;
  const issues: ConfigIssue[] = [];
  for (const name of Object.keys(parsed.data.weights ?? {})) {
    if (known.includes(name)) continue;
    const guess = nearest(name, known);
    issues.push({
      path: `${base}.weights.${name}`,
      message: `no agent named "${name}"`,
      found: `a weight for "${name}"`,
      ...(options.source === undefined ? {} : { source: options.source }),
      hint: `${guess ? `did you mean "${guess}"? ` : ''}Registered agents: ${known.join(', ') || '(none)'}`,
    });
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return parsed.data;
}
