// Weight lists as refiners and vaults send them: the layout told from the header row (Ingot's own
// columns, LBMA Annex C with or without the year) or given by a mapping, each row turned into the
// fields of Ingot's own bar list as exact decimal text. Nothing here reads a file.
import {
  BAR_LIST_OPTIONAL_COLUMNS,
  BAR_LIST_REQUIRED_COLUMNS,
  type BarSpec,
  quoteCsvField,
} from './barlist.ts';
import { divideFloor, formatScaled } from './decimal.ts';
import {
  fineWeight,
  formatFineness,
  GOOD_DELIVERY_WEIGHT_STEP_MILLI_OZ,
  GRAM_E7_PER_TROY_OZ,
  METRIC_SCALE,
} from './weight.ts';

/** A cell as read: its text, and how the file stored it (a workbook tells numbers from text; CSV does not). */
export interface SourceCell {
  readonly text: string;
  readonly stored: 'text' | 'number' | 'csv';
}

/** A problem of a weight list, naming the sheet (null for CSV), the row (1-based) and the column. */
export interface WeightListProblem {
  sheet: string | null;
  row: number;
  column: string | null;
  reason: string;
}

/** What a weight list's columns may mean. */
export const WEIGHT_LIST_FIELDS = [
  'metal',
  'serial',
  'refiner',
  'year',
  'gross',
  'fineness',
  'fine',
  'vault_gross',
  'weight_unit',
  'vault',
  'location',
  'bar_id',
] as const;
export type WeightListField = (typeof WEIGHT_LIST_FIELDS)[number];
export const WEIGHT_UNITS = ['oz', 'g', 'kg'] as const;
export type WeightUnit = (typeof WEIGHT_UNITS)[number];
export const FINENESS_UNITS = ['per_mille', 'per_ten_thousand'] as const;
export type FinenessUnit = (typeof FINENESS_UNITS)[number];

/** One column of a list: its name in the file, what it means, and its unit where it has one. */
export interface ColumnMeaning {
  readonly source: string;
  readonly field: WeightListField;
  readonly unit: WeightUnit | FinenessUnit | null;
}

/** A mapping file, parsed: which sheet, what each named column means, a year for lists without one. */
export interface WeightListMapping {
  readonly sheet: string | null;
  readonly columns: readonly ColumnMeaning[];
  readonly year: number | null;
}

/** The LBMA Good Delivery Rules' Annex C columns, in their order. */
export const ANNEX_C_COLUMNS = [
  'metal',
  'serial_number',
  'brand_code',
  'gross_weight_troy_oz',
  'assay',
  'fine_weight_troy_oz',
  'year_of_manufacture',
] as const;
const ANNEX_C_FIELDS: Record<(typeof ANNEX_C_COLUMNS)[number], WeightListField> = {
  metal: 'metal',
  serial_number: 'serial',
  brand_code: 'refiner',
  gross_weight_troy_oz: 'gross',
  assay: 'fineness',
  fine_weight_troy_oz: 'fine',
  year_of_manufacture: 'year',
};
const INGOT_FIELDS: Record<string, WeightListField> = {
  serial: 'serial',
  refiner: 'refiner',
  year: 'year',
  gross_oz: 'gross',
  fineness: 'fineness',
  fine_oz: 'fine',
  vault: 'vault',
  location: 'location',
  bar_id: 'bar_id',
};
/** A column an Annex C list may add: the unit of the row's weights (oz, g, kg). */
const UNIT_COLUMN = 'weight_unit';

/** A recognised or mapped layout: where each field is, by position, with its source name and unit. */
export interface WeightListLayout {
  readonly name: 'ingot' | 'annex_c' | 'mapped';
  readonly positions: ReadonlyMap<WeightListField, { index: number; source: string; unit: string | null }>;
  readonly column_count: number;
}

type Problem = { column: string | null; reason: string };

/** Spreadsheet letters for a 0-based column index: 0 → A, 27 → AB. */
export function columnLetter(index: number): string {
  let name = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) {
    name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  }
  return name;
}

/** Names of the header cells; an empty one between named cells (merged or blank) is a problem. */
function headerNames(cells: readonly SourceCell[]): { names: string[]; problems: Problem[] } {
  let last = cells.length;
  while (last > 0 && (cells[last - 1]?.text.trim() ?? '') === '') last -= 1;
  const names: string[] = [];
  const problems: Problem[] = [];
  for (let index = 0; index < last; index += 1) {
    const name = (cells[index]?.text ?? '').replace(/^\uFEFF/, '').trim();
    if (name === '') {
      const reason = `header cell ${columnLetter(index)} is empty (a merged or blank header cell)`;
      problems.push({ column: columnLetter(index), reason });
    }
    names.push(name);
  }
  return { names, problems };
}

/**
 * Tells the layout from the header row: a mapping when one is given, else Ingot's own columns or
 * Annex C (with or without the year, optionally with a weight_unit column). Every unknown, repeated
 * or missing column is named.
 */
export function detectLayout(
  cells: readonly SourceCell[],
  mapping: WeightListMapping | null,
  year: number | null,
): { ok: true; layout: WeightListLayout } | { ok: false; problems: Problem[] } {
  const { names, problems } = headerNames(cells);
  if (problems.length > 0) return { ok: false, problems };
  const detected = mapping ? mappedLayout(names, mapping) : recognisedLayout(names);
  if (detected.ok && !detected.layout.positions.has('year') && year === null) {
    const reason =
      'the list has no year of manufacture; Ingot records one for every bar: give it (--year, or "year" in the mapping)';
    return { ok: false, problems: [{ column: 'year_of_manufacture', reason }] };
  }
  return detected;
}

function recognisedLayout(
  names: readonly string[],
): { ok: true; layout: WeightListLayout } | { ok: false; problems: Problem[] } {
  const problems: Problem[] = [];
  const lower = names.map((name) => name.toLowerCase());
  const annexC = lower.some((name) => name === 'serial_number' || name === 'brand_code');
  const meanings: ColumnMeaning[] = [];
  for (const name of lower) {
    const field = annexC
      ? (ANNEX_C_FIELDS as Record<string, WeightListField>)[name]
      : (INGOT_FIELDS[name] ?? undefined);
    if (annexC && name === UNIT_COLUMN) meanings.push({ source: name, field: 'weight_unit', unit: null });
    else if (field) meanings.push({ source: name, field, unit: field === 'fineness' ? 'per_mille' : null });
    else {
      const known = annexC ? 'LBMA Annex C' : 'Ingot’s bar list';
      problems.push({
        column: name,
        reason: `unknown column "${name}" for ${known}; give the list's meaning with a mapping (--columns)`,
      });
    }
  }
  const required: readonly string[] = annexC
    ? ANNEX_C_COLUMNS.filter((name) => name !== 'year_of_manufacture')
    : BAR_LIST_REQUIRED_COLUMNS;
  for (const name of required) {
    if (!lower.includes(name))
      problems.push({ column: name, reason: `required column "${name}" is missing` });
  }
  const built = positionsOf(meanings, lower, problems);
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    layout: { name: annexC ? 'annex_c' : 'ingot', positions: built, column_count: names.length },
  };
}

function mappedLayout(
  names: readonly string[],
  mapping: WeightListMapping,
): { ok: true; layout: WeightListLayout } | { ok: false; problems: Problem[] } {
  const problems: Problem[] = [];
  const lower = names.map((name) => name.toLowerCase());
  for (const meaning of mapping.columns) {
    if (!lower.includes(meaning.source.toLowerCase())) {
      const reason = `the mapping names column "${meaning.source}", which the header does not have (it has ${names.map((n) => `"${n}"`).join(', ')})`;
      problems.push({ column: meaning.source, reason });
    }
  }
  const meanings = mapping.columns.map((m) => ({ ...m, source: m.source.toLowerCase() }));
  const built = positionsOf(meanings, lower, problems);
  const fields = new Set(built.keys());
  for (const field of ['serial', 'refiner', 'gross', 'fineness'] as const) {
    if (!fields.has(field))
      problems.push({ column: null, reason: `the mapping gives no column for ${field}` });
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, layout: { name: 'mapped', positions: built, column_count: names.length } };
}

/** Positions of the meanings in the header; a field given twice or a column repeated is a problem. */
function positionsOf(
  meanings: readonly ColumnMeaning[],
  lower: readonly string[],
  problems: Problem[],
): Map<WeightListField, { index: number; source: string; unit: string | null }> {
  const positions = new Map<WeightListField, { index: number; source: string; unit: string | null }>();
  for (const meaning of meanings) {
    const index = lower.indexOf(meaning.source);
    if (index === -1) continue;
    if (lower.indexOf(meaning.source, index + 1) !== -1) {
      problems.push({ column: meaning.source, reason: `column "${meaning.source}" appears more than once` });
    } else if (positions.has(meaning.field)) {
      problems.push({ column: meaning.source, reason: `two columns give the ${meaning.field}` });
    } else {
      positions.set(meaning.field, { index, source: meaning.source, unit: meaning.unit });
    }
  }
  return positions;
}

/** What a row's translation needs beyond its layout. */
export interface TranslateOptions {
  /** The year of the bars when the list has no year column (Annex C allows its absence). */
  readonly year: number | null;
  readonly good_delivery: boolean;
}

/** The header of the lines a translated list is written in: Ingot's own, every column. */
export const CANONICAL_HEADER = [...BAR_LIST_REQUIRED_COLUMNS, ...BAR_LIST_OPTIONAL_COLUMNS].join(',');

/** Where a canonical column's problems are named in the source: its column there, else itself. */
export function sourceColumn(layout: WeightListLayout, canonical: string | null): string | null {
  if (canonical === null) return null;
  const field = INGOT_FIELDS[canonical];
  const weighed =
    field === 'gross' ? (layout.positions.get('vault_gross') ?? layout.positions.get('gross')) : null;
  const position = weighed ?? (field ? layout.positions.get(field) : undefined);
  return position?.source ?? canonical;
}

const METAL_GOLD = new Set(['gold', 'au', 'xau']);
const UNIT_NAMES: Record<string, WeightUnit> = {
  oz: 'oz',
  ozt: 'oz',
  'troy oz': 'oz',
  toz: 'oz',
  g: 'g',
  gram: 'g',
  grams: 'g',
  kg: 'kg',
  kilogram: 'kg',
  kilograms: 'kg',
};
/** Below this many ounces a Good Delivery weight is taken for kilograms written as ounces. */
const GOOD_DELIVERY_OUNCES_PLAUSIBLE_MILLI_OZ = 100_000n;

type RowResult = { ok: true; line: string } | { ok: false; problems: Problem[] };

/** A cell's plain decimal text, or its problem: stored as text in a workbook, grouped, not a number. */
function decimalText(cell: SourceCell | undefined, source: string): { text: string } | { reason: string } {
  const text = cell?.text.trim() ?? '';
  if (text === '') return { reason: `${source} is empty` };
  if (cell?.stored === 'text') return { reason: `${source} "${text}" is a number stored as text` };
  if (/^\d{1,3}(,\d{3})+(\.\d+)?$/.test(text)) {
    return { reason: `${source} "${text}" has a thousands separator; write the number plainly` };
  }
  if (!/^\d+(\.\d+)?$/.test(text)) return { reason: `${source} "${text}" is not a decimal number` };
  return { text };
}

/** Decimal text as an integer scaled by 10^scale, or null when it has more decimals than that. */
function scaled(text: string, scale: number): bigint | null {
  const [whole = '0', fraction = ''] = text.split('.');
  if (fraction.length > scale) return null;
  return BigInt(whole + fraction.padEnd(scale, '0'));
}

/**
 * A weight in milli-ounces. Ounces carry at most three decimals. Grams and kilograms convert at
 * 31.1034768 g/oz, truncated to 0.001 oz, and for Good Delivery rounded down to the 0.025 oz step
 * in which Good Delivery gross weights are stated (never credits gold that is not there).
 */
function weightMilliOz(
  text: string,
  unit: WeightUnit,
  source: string,
  goodDelivery: boolean,
): bigint | string {
  if (unit === 'oz') {
    const milli = scaled(text, 3);
    if (milli === null) return `${source} "${text}" has more than 3 decimals of an ounce`;
    if (milli <= 0n) return `${source} ${text} oz must be above zero`;
    if (goodDelivery && milli < GOOD_DELIVERY_OUNCES_PLAUSIBLE_MILLI_OZ) {
      return `${source} ${text} oz is no Good Delivery bar; if the list is in kilograms or grams, say so (a weight_unit column or a mapping)`;
    }
    return milli;
  }
  const fraction = text.split('.')[1] ?? '';
  const value = scaled(text, fraction.length) ?? 0n;
  const denominator = GRAM_E7_PER_TROY_OZ * 10n ** BigInt(fraction.length);
  const milli = divideFloor(value * METRIC_SCALE[unit] * 1000n, denominator);
  if (milli <= 0n) return `${source} ${text} ${unit} must be above zero`;
  return goodDelivery ? milli - (milli % GOOD_DELIVERY_WEIGHT_STEP_MILLI_OZ) : milli;
}

/** The unit of a weight column: the mapping's, else the row's unit column, else ounces. */
function unitOf(
  layout: WeightListLayout,
  cells: readonly SourceCell[],
  field: 'gross' | 'fine' | 'vault_gross',
): WeightUnit | string {
  const stated = layout.positions.get(field)?.unit;
  if (stated === 'oz' || stated === 'g' || stated === 'kg') return stated;
  const column = layout.positions.get('weight_unit');
  if (!column) return 'oz';
  const text = (cells[column.index]?.text ?? '').trim().toLowerCase();
  return UNIT_NAMES[text] ?? `${column.source} "${text}" is not a unit of weight (oz, g or kg)`;
}

/** Reads the row's weights: gross (the vault's own weighing over the refiner's), fineness, fine. */
function rowWeights(
  layout: WeightListLayout,
  cells: readonly SourceCell[],
  goodDelivery: boolean,
  problems: Problem[],
): { gross: bigint; fineness: bigint; fine: bigint | null } | null {
  const weight = (field: 'gross' | 'fine' | 'vault_gross'): { milli: bigint; unit: WeightUnit } | null => {
    const position = layout.positions.get(field);
    if (!position) return null;
    const cell = cells[position.index];
    if (field !== 'gross' && (cell?.text.trim() ?? '') === '') return null;
    const unit = unitOf(layout, cells, field);
    const text = decimalText(cell, position.source);
    const milli =
      'reason' in text
        ? text.reason
        : unit === 'oz' || unit === 'g' || unit === 'kg'
          ? weightMilliOz(text.text, unit, position.source, goodDelivery && field !== 'fine')
          : unit;
    if (typeof milli === 'string') problems.push({ column: position.source, reason: milli });
    return typeof milli === 'string' || !(unit === 'oz' || unit === 'g' || unit === 'kg')
      ? null
      : { milli, unit };
  };
  const refiner = weight('gross');
  const vault = weight('vault_gross');
  const stated = weight('fine');
  const fineness = rowFineness(layout, cells, problems);
  if (!refiner || fineness === null || problems.length > 0) return null;
  if (!vault) return { gross: refiner.milli, fineness, fine: stated?.unit === 'oz' ? stated.milli : null };
  // The vault's weighing stands; the refiner's own figures must still agree with each other.
  if (
    stated?.unit === 'oz' &&
    refiner.unit === 'oz' &&
    stated.milli !== fineWeight(refiner.milli, fineness)
  ) {
    const source = layout.positions.get('fine')?.source ?? 'fine';
    const reason = `the refiner's fine weight ${formatScaled(stated.milli, 3)} oz does not follow from its gross weight ${formatScaled(refiner.milli, 3)} oz at ${formatFineness(fineness)}‰`;
    problems.push({ column: source, reason });
    return null;
  }
  return { gross: vault.milli, fineness, fine: null };
}

/** The row's fineness in parts per ten thousand, from per mille (one decimal) or parts per 10,000. */
function rowFineness(
  layout: WeightListLayout,
  cells: readonly SourceCell[],
  problems: Problem[],
): bigint | null {
  const position = layout.positions.get('fineness');
  if (!position) return null;
  const text = decimalText(cells[position.index], position.source);
  if ('reason' in text) {
    problems.push({ column: position.source, reason: text.reason });
    return null;
  }
  const perMille = position.unit !== 'per_ten_thousand';
  const value = scaled(text.text, perMille ? 1 : 0);
  if (value === null || value <= 0n || value > 10_000n) {
    const form = perMille
      ? 'per mille with at most one decimal, up to 1000.0'
      : 'parts per 10,000, up to 10000';
    problems.push({ column: position.source, reason: `${position.source} "${text.text}" is not ${form}` });
    return null;
  }
  return value;
}

/** A text field of the row as written (a whole number stored by a workbook reads as its digits). */
function rowText(layout: WeightListLayout, cells: readonly SourceCell[], field: WeightListField): string {
  const position = layout.positions.get(field);
  return position ? (cells[position.index]?.text.trim() ?? '') : '';
}

/**
 * Turns one data row into a line of Ingot's own bar list (CANONICAL_HEADER), or names its problems.
 * The metal must be gold. The line is then checked by the bar list's own rules like any other.
 */
export function translateRow(
  cells: readonly SourceCell[],
  layout: WeightListLayout,
  options: TranslateOptions,
): RowResult {
  const problems: Problem[] = [];
  const metal = layout.positions.get('metal');
  const metalText = rowText(layout, cells, 'metal');
  if (metal && !METAL_GOLD.has(metalText.toLowerCase())) {
    const reason = `metal "${metalText}" is not gold: a gold list holds gold bars only`;
    problems.push({ column: metal.source, reason });
  }
  const year = layout.positions.get('year');
  let yearText = options.year === null ? '' : options.year.toString();
  if (year) {
    const cell = cells[year.index];
    const text = decimalText(cell, year.source);
    if ('reason' in text) problems.push({ column: year.source, reason: text.reason });
    else yearText = text.text;
  }
  const weights = rowWeights(layout, cells, options.good_delivery, problems);
  if (!weights || problems.length > 0) return { ok: false, problems };
  const fine = weights.fine ?? fineWeight(weights.gross, weights.fineness);
  const fields = [
    rowText(layout, cells, 'serial'),
    rowText(layout, cells, 'refiner'),
    yearText,
    formatScaled(weights.gross, 3),
    formatFineness(weights.fineness),
    formatScaled(fine, 3),
    rowText(layout, cells, 'vault'),
    rowText(layout, cells, 'location'),
    rowText(layout, cells, 'bar_id'),
  ];
  return { ok: true, line: fields.map(quoteCsvField).join(',') };
}

/** True when every cell of a row is empty: such rows are skipped. */
export function isBlankRow(cells: readonly SourceCell[]): boolean {
  return cells.every((cell) => cell.text.trim() === '');
}

/** The metal Annex C names for gold. */
export const ANNEX_C_GOLD = 'Gold';

/** One bar as the fields of an Annex C row, in ANNEX_C_COLUMNS order, as exact decimal text. */
export function annexCFields(bar: BarSpec): string[] {
  return [
    ANNEX_C_GOLD,
    bar.serial,
    bar.refiner,
    formatScaled(bar.gross_milli_oz, 3),
    formatFineness(bar.fineness),
    formatScaled(bar.fine_milli_oz, 3),
    bar.year.toString(),
  ];
}

const FIELD_SET: ReadonlySet<string> = new Set(WEIGHT_LIST_FIELDS);
const UNIT_SET: ReadonlySet<string> = new Set([...WEIGHT_UNITS, ...FINENESS_UNITS]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** One entry of a mapping's "columns": a field name, or { field, unit }. */
function columnMeaning(source: string, value: unknown): ColumnMeaning | string {
  const field = isRecord(value) ? value.field : value;
  const unit = isRecord(value) ? (value.unit ?? null) : null;
  if (typeof field !== 'string' || !FIELD_SET.has(field)) {
    return `column "${source}": field must be one of ${WEIGHT_LIST_FIELDS.join(', ')}`;
  }
  if (unit !== null && (typeof unit !== 'string' || !UNIT_SET.has(unit))) {
    return `column "${source}": unit must be one of ${[...UNIT_SET].join(', ')}`;
  }
  const weighs = field === 'gross' || field === 'fine' || field === 'vault_gross';
  const allowed: readonly string[] = weighs ? WEIGHT_UNITS : field === 'fineness' ? FINENESS_UNITS : [];
  if (typeof unit === 'string' && !allowed.includes(unit)) {
    return `column "${source}": unit ${unit} does not fit the field ${field}`;
  }
  return { source, field: field as WeightListField, unit: unit as WeightUnit | FinenessUnit | null };
}

/**
 * Parses a mapping file (JSON; see docs/WEIGHT-LISTS.md): `columns` maps each source column name to
 * a field or to { field, unit }; optional `sheet` and `year`.
 */
export function parseMapping(
  text: string,
): { ok: true; mapping: WeightListMapping } | { ok: false; reason: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `the mapping is not JSON: ${(error as Error).message}` };
  }
  if (!isRecord(parsed) || !isRecord(parsed.columns)) {
    return {
      ok: false,
      reason: 'the mapping must be an object with "columns": { "source column": "field" }',
    };
  }
  const { sheet = null, year = null } = parsed;
  if (sheet !== null && typeof sheet !== 'string')
    return { ok: false, reason: '"sheet" must be a sheet name' };
  if (
    year !== null &&
    !(Number.isInteger(year) && typeof year === 'number' && year >= 1800 && year <= 2100)
  ) {
    return { ok: false, reason: '"year" must be a year from 1800 to 2100' };
  }
  const columns: ColumnMeaning[] = [];
  for (const [source, value] of Object.entries(parsed.columns)) {
    const meaning = columnMeaning(source, value);
    if (typeof meaning === 'string') return { ok: false, reason: meaning };
    columns.push(meaning);
  }
  return { ok: true, mapping: { sheet, columns, year: typeof year === 'number' ? year : null } };
}
