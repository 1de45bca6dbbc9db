export * from './key-resolver.js';
export * from './key-sources.js';
export * from './redact.js';
