import { hashTagOf } from '@stockade/core';

/** Slots of a Redis Cluster. */
const SLOTS = 16_384;

const TABLE = (() => {
  const table = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let crc = i << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    table[i] = crc;
  }
  return table;
})();

const encoder = new TextEncoder();

/**
 * The Redis Cluster hash slot of a key: CRC16 (XMODEM) of its hash tag, modulo 16384, as the
 * cluster specification defines it. Multi-key commands (MGET, a pipeline to one node) must stay
 * inside one slot, so batches are grouped by it.
 */
export function hashSlotOf(key: string): number {
  const bytes = encoder.encode(hashTagOf(key));
  let crc = 0;
  for (const byte of bytes) crc = ((crc << 8) & 0xffff) ^ (TABLE[((crc >> 8) ^ byte) & 0xff] as number);
  return crc % SLOTS;
}

/** Groups keys by hash slot, keeping each key's index in the input. */
export function groupBySlot(keys: readonly string[]): Map<number, number[]> {
  const groups = new Map<number, number[]>();
  for (let i = 0; i < keys.length; i++) {
    const slot = hashSlotOf(keys[i] as string);
    const group = groups.get(slot);
    if (group === undefined) groups.set(slot, [i]);
    else group.push(i);
  }
  return groups;
}
