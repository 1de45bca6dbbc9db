import type { SimReply } from '../route.js';

/** Yahoo's `chart.error` envelope. */
export function chartError(status: number, code: string, description: string): SimReply {
  return { status, body: { chart: { result: null, error: { code, description } } } };
}

/** Yahoo's `finance.error` envelope (401 crumb and feature errors, 400 bad requests). */
export function financeError(status: number, code: string, description: string): SimReply {
  return { status, body: { finance: { result: null, error: { code, description } } } };
}

/** The plain-text throttling answer of Yahoo's edge, on every endpoint. */
export function edgeTooManyRequests(headers?: Record<string, string>): SimReply {
  return { status: 429, contentType: 'text/plain', body: 'Edge: Too Many Requests', ...(headers ? { headers } : {}) };
}
