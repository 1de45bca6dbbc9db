export * from './errors.js';
export * from './provider-error.js';
export * from './stockade-error.js';
