export * from './cli-io.js';
export * from './command.js';
export * from './command-catalog.js';
export * from './exit-codes.js';
export type { Output, OutputOptions } from './output/output.js';
export type { TableColumn } from './output/table.js';
export * from './run-cli.js';
export * from './usage-error.js';
export * from './version.js';
