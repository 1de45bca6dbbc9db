export * from './beta-weights.js';
export * from './consensus-config.js';
export * from './family-cap.js';
export * from './hedge-weights.js';
export * from './outcome.js';
export * from './price-consensus.js';
export * from './weighted-vote.js';
