export * from './backtest.js';
export * from './equity-chart.js';
export * from './performance-metrics.js';
