import { describe, expect, it } from 'vitest';
import { compareShapes, shapeOf } from './shape.js';

describe('shapeOf and compareShapes', () => {
  it('describes keys and value types recursively, merging array elements', () => {
    expect(shapeOf({ a: 1, b: ['x', null], c: { d: true } })).toEqual({
      object: { a: 'number', b: { array: { anyOf: ['string', 'null'] } }, c: { object: { d: 'boolean' } } },
    });
  });

  it('treats objects keyed by dates or timestamps as maps', () => {
    expect(shapeOf({ '2024-01-02': { x: '1' }, '2024-01-03': { x: '2' } })).toEqual({
      map: { object: { x: 'string' } },
    });
    expect(shapeOf({ '1700000000': { amount: 1 } })).toEqual({ map: { object: { amount: 'number' } } });
  });

  it('reports missing keys, extra keys and type changes with their path', () => {
    const diffs = compareShapes({ a: '1', c: 3, list: [{ x: 1 }] }, { a: 1, b: 2, list: [{ x: 1, y: 2 }] });
    expect(diffs).toEqual([
      '$.a: string where the fixture has number',
      '$.b: missing (the fixture has it)',
      '$.list[].y: missing (the fixture has it)',
      '$.c: extra (the fixture does not have it)',
    ]);
  });

  it('lets a null in the fixture stand for any type, but not a null in the simulator for a type', () => {
    expect(compareShapes({ c: [14, 41] }, { c: null })).toEqual([]);
    expect(compareShapes({ c: null }, { c: [1] })).toEqual(['$.c: null where the fixture has array']);
    expect(compareShapes({ v: [1, null] }, { v: [null, 2] })).toEqual([]);
  });

  it('accepts extra keys only when asked to', () => {
    expect(compareShapes({ a: 1, extra: 'x' }, { a: 1 }, { allowExtraKeys: true })).toEqual([]);
    expect(compareShapes({ a: 1, extra: 'x' }, { a: 1 })).toHaveLength(1);
  });
});
