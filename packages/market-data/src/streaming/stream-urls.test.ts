import { describe, expect, it } from 'vitest';
import { streamUrlResolver } from './stream-urls.js';

describe('where each provider streams from', () => {
  it('uses the simulator beside its HTTP base in simulator mode, and nothing real for a built-in without one', () => {
    const urlOf = streamUrlResolver({
      simulatorMode: true,
      simulatorBase: { polygon: 'http://127.0.0.1:4010/polygon', yahoo: 'http://127.0.0.1:4010/yahoo' },
      given: { massive: 'ws://127.0.0.1:9/massive/stocks' },
    });
    expect(urlOf('polygon')).toBe('ws://127.0.0.1:4010/polygon/stocks');
    expect(urlOf('yahoo')).toBe('ws://127.0.0.1:4010/yahoo/?version=2');
    expect(urlOf('massive')).toBe('ws://127.0.0.1:9/massive/stocks');
    expect(urlOf('alphavantage')).toBeNull();
    expect(urlOf('mybroker')).toBeUndefined();
  });

  it('leaves each provider its own endpoint in live mode', () => {
    const urlOf = streamUrlResolver({ simulatorMode: false, simulatorBase: undefined, given: undefined });
    expect(urlOf('polygon')).toBeUndefined();
  });
});
