// Parties (82a, 87a, 88a, 57a): a BIC (option A), a location (B) or a name and address (D),
// each optionally after a party identifier line such as "/NBC-GOLD".
import type { Parsed } from '../decimal.ts';
import type { Codec } from './fields.ts';
import { checkFreeLine, checkSwiftText, jsonObject, jsonOptionalString, oneOf } from './text.ts';

/** The options Ingot reads for a party: BIC, location, name and address. */
export const PARTY_OPTIONS = ['A', 'B', 'D'] as const;
/** An option letter of a party field. */
export type PartyOption = (typeof PARTY_OPTIONS)[number];

/** A party as SWIFT names one; `lines` holds the BIC (A), the location if any (B) or 1–4 name lines (D). */
export interface Party {
  readonly option: PartyOption;
  /** "[/1!a][/34x]": an account or other identifier, starting with "/". */
  readonly identifier: string | null;
  readonly lines: readonly string[];
}

/** The JSON form of a party: the same members. */
export type PartyJson = {
  readonly option: PartyOption;
  readonly identifier: string | null;
  readonly lines: readonly string[];
};

const BIC = /^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}(?:[A-Z0-9]{3})?$/;

/** Checks the lines of a party for its option. */
function checkLines(option: PartyOption, lines: readonly string[]): Parsed<readonly string[]> {
  if (lines.some((line) => line.startsWith('/'))) {
    return { ok: false, reason: 'only the first line of a party, its identifier, may start with "/"' };
  }
  if (option === 'A') {
    const [bic] = lines;
    if (lines.length !== 1 || bic === undefined || !BIC.test(bic)) {
      return {
        ok: false,
        reason: `party (option A) "${lines.join(' ')}" is not a BIC of 8 or 11 characters`,
      };
    }
  } else if (option === 'B') {
    if (lines.length > 1) return { ok: false, reason: 'party (option B) has one line of location at most' };
    const [location] = lines;
    if (location !== undefined) {
      const checked = checkSwiftText(location, 35, 'party location');
      if (!checked.ok) return checked;
    }
  } else {
    if (lines.length < 1 || lines.length > 4) {
      return { ok: false, reason: `party (option D) has ${lines.length} lines of name and address; 1 to 4` };
    }
    for (const [index, line] of lines.entries()) {
      const checked = checkFreeLine(line, 35, `party name and address line ${index + 1}`);
      if (!checked.ok) return checked;
      if (line === '') return { ok: false, reason: `party name and address line ${index + 1} is empty` };
    }
  }
  return { ok: true, value: lines };
}

/** Checks a whole party. */
export function checkParty(
  option: PartyOption,
  identifier: string | null,
  lines: readonly string[],
): Parsed<Party> {
  if (identifier !== null) {
    const checked = checkSwiftText(identifier, 37, 'party identifier');
    if (!checked.ok) return checked;
    if (!identifier.startsWith('/'))
      return { ok: false, reason: `party identifier "${identifier}" must start with "/"` };
  }
  const checked = checkLines(option, lines);
  if (!checked.ok) return checked;
  if (identifier === null && lines.length === 0) return { ok: false, reason: 'party is empty' };
  return { ok: true, value: { option, identifier, lines } };
}

/** 82a, 87a, 88a, 57a: a party. */
export const party: Codec<Party, PartyJson> = {
  options: PARTY_OPTIONS,
  readText: (text, option) => {
    const lines = text === '' ? [] : text.split('\n');
    const first = lines[0];
    const identifier = first?.startsWith('/') ? first : null;
    return checkParty(option as PartyOption, identifier, identifier === null ? lines : lines.slice(1));
  },
  writeText: (p) => ({
    option: p.option,
    text: (p.identifier === null ? p.lines : [p.identifier, ...p.lines]).join('\n'),
  }),
  readJson: (value) => {
    const record = jsonObject(value, ['option', 'identifier', 'lines'], 'party');
    if (!record.ok) return record;
    const option = oneOf(record.value.option, PARTY_OPTIONS, 'party option');
    if (!option.ok) return option;
    const identifier = jsonOptionalString(record.value.identifier, 'party identifier');
    if (!identifier.ok) return identifier;
    const lines = record.value.lines ?? [];
    if (!Array.isArray(lines) || !lines.every((line) => typeof line === 'string')) {
      return { ok: false, reason: 'party lines must be a list of strings' };
    }
    return checkParty(option.value, identifier.value, lines);
  },
  writeJson: (p) => ({ option: p.option, identifier: p.identifier, lines: p.lines }),
};
