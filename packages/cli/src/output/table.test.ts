import { describe, expect, it } from 'vitest';
import { formatTable, type TableColumn } from './table.js';

const columns: TableColumn[] = [
  { header: 'Symbol' },
  { header: 'Price', align: 'right' },
  { header: 'Notes', optional: true },
];

describe('formatTable', () => {
  it('aligns plain columns with two spaces, numbers to the right, and no trailing spaces', () => {
    const text = formatTable(columns, [
      ['AAPL', '281.07', 'stale'],
      ['BTC-USD', '66,056.81', ''],
    ]);
    expect(text).toBe(['Symbol       Price  Notes', 'AAPL        281.07  stale', 'BTC-USD  66,056.81'].join('\n'));
  });

  it('draws borders for a terminal', () => {
    const text = formatTable(columns.slice(0, 2), [['AAPL', '281.07']], { style: 'boxed' });
    expect(text).toBe(
      [
        '┌────────┬────────┐',
        '│ Symbol │  Price │',
        '├────────┼────────┤',
        '│ AAPL   │ 281.07 │',
        '└────────┴────────┘',
      ].join('\n'),
    );
  });

  it('leaves out an optional column with nothing in it, and pads short rows', () => {
    const text = formatTable(columns, [['AAPL'], ['MSFT', '630.85', '']]);
    expect(text).toBe(['Symbol   Price', 'AAPL', 'MSFT    630.85'].join('\n'));
  });
});
