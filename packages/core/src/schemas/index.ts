export * from './bar.js';
export * from './events.js';
export * from './health.js';
export * from './quote.js';
export * from './signal.js';
export * from './symbol.js';
export * from './upgraders.js';
