import { describe, expect, it } from 'vitest';
import { groupBySlot, hashSlotOf } from './hash-slot.js';

describe('hashSlotOf', () => {
  it('matches the CRC16 check value and the slots the Redis docs give', () => {
    expect(hashSlotOf('123456789')).toBe(0x31c3);
    expect(hashSlotOf('foo')).toBe(12_182);
    expect(hashSlotOf('somekey')).toBe(11_058);
  });

  it('hashes only the hash tag, so an entry and its lock share a slot', () => {
    const entry = 'stockade:v1:{quote:AAPL}:best';
    expect(hashSlotOf(`${entry}:lock`)).toBe(hashSlotOf(entry));
    expect(hashSlotOf(entry)).toBe(hashSlotOf('quote:AAPL'));
    expect(hashSlotOf('a{}b')).not.toBe(hashSlotOf('')); // an empty tag hashes the whole key
  });

  it('groups key indexes by slot', () => {
    const keys = ['x:{a}:1', 'x:{b}:1', 'x:{a}:2'];
    const groups = [...groupBySlot(keys).values()];
    expect(groups).toEqual([[0, 2], [1]]);
  });
});
