/** One column of a `formatTable` table. */
export interface TableColumn {
  /** Header text. */
  header: string;
  /** Numbers read best right-aligned. @default 'left' */
  align?: 'left' | 'right';
  /** Left out when every cell is empty (a `Fix` column with nothing to fix). @default false */
  optional?: boolean;
}

/** Options of `formatTable`. */
export interface TableOptions {
  /** `boxed` draws borders (for a terminal); `plain` aligns columns with two spaces (for pipes and files). @default 'plain' */
  style?: 'boxed' | 'plain';
}

function pad(text: string, width: number, align: TableColumn['align']): string {
  return align === 'right' ? text.padStart(width) : text.padEnd(width);
}

/**
 * Lays out rows of cells under their headers. Every row is cut or padded to the number of
 * columns; no line ends in spaces, so the plain form survives `diff`, `grep` and `cut`.
 *
 * @example
 * formatTable([{ header: 'Symbol' }, { header: 'Price', align: 'right' }], [['AAPL', '281.07']], { style: 'boxed' });
 */
export function formatTable(
  allColumns: readonly TableColumn[],
  rows: ReadonlyArray<readonly string[]>,
  options: TableOptions = {},
): string {
  const kept = allColumns
    .map((column, index) => ({ column, index }))
    .filter(({ column, index }) => !column.optional || rows.some((row) => (row[index] ?? '') !== ''));
  const columns = kept.map((k) => k.column);
  const cells = rows.map((row) => kept.map((k) => row[k.index] ?? ''));
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((row) => (row[i] as string).length)));
  const line = (row: readonly string[], sep: string, edge: [string, string]) =>
    edge[0] + row.map((cell, i) => pad(cell, widths[i] as number, columns[i]?.align)).join(sep) + edge[1];
  const headers = columns.map((c) => c.header);
  if (options.style === 'boxed') {
    const rule = (l: string, m: string, r: string) => l + widths.map((w) => '─'.repeat(w + 2)).join(m) + r;
    return [
      rule('┌', '┬', '┐'),
      line(headers, ' │ ', ['│ ', ' │']),
      rule('├', '┼', '┤'),
      ...cells.map((row) => line(row, ' │ ', ['│ ', ' │'])),
      rule('└', '┴', '┘'),
    ].join('\n');
  }
  return [headers, ...cells].map((row) => line(row, '  ', ['', '']).trimEnd()).join('\n');
}
