export * from './correlation.js';
export * from './levels.js';
export * from './log-value.js';
export * from './logger.js';
