import type { AgentFactory } from './agent.js';
import { atrBreakout } from './atr-breakout-agent.js';
import { bollingerBreakout, bollingerReversion } from './bollinger-agents.js';
import { donchianBreakout } from './donchian-breakout-agent.js';
import { emaCross, smaCross } from './ma-cross-agent.js';
import { macdCross } from './macd-cross-agent.js';
import { momentum } from './momentum-agent.js';
import { obvTrend } from './obv-trend-agent.js';
import { rsi } from './rsi-agent.js';
import { stochasticCross } from './stochastic-cross-agent.js';
import { vwapDeviation } from './vwap-deviation-agent.js';
import { zScoreReversion } from './zscore-reversion-agent.js';

/** Every built-in agent with its default options, as factories for `SignalEngine.watch()` or `backtest()`. */
export function all(): AgentFactory[] {
  return [
    () => rsi(),
    () => macdCross(),
    () => smaCross(),
    () => emaCross(),
    () => bollingerReversion(),
    () => bollingerBreakout(),
    () => stochasticCross(),
    () => momentum(),
    () => atrBreakout(),
    () => obvTrend(),
    () => vwapDeviation(),
    () => zScoreReversion(),
    () => donchianBreakout(),
  ];
}
