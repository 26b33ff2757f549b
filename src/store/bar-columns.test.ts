import { expect, test } from 'vitest';
import { BAR_COLUMNS, barValues } from './bar-columns.ts';
import type { BarRow } from './schema.ts';

test('a bar’s values come in the order of BAR_COLUMNS, one for each column', () => {
  // Each column holds its own name, so a value out of place shows which column it belongs to.
  const bar = Object.fromEntries(BAR_COLUMNS.map((column) => [column, column])) as unknown as BarRow;
  expect(barValues(bar)).toEqual([...BAR_COLUMNS]);
});
