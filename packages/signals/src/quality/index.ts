export * from './calibration.js';
export * from './quality-stats.js';
export * from './rank-correlation.js';
export * from './signal-tracker.js';
export * from './wilson-interval.js';
