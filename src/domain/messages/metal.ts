// 26C, the metal and the metal account: "[3!a]/15x/5!a4!a[4x][//8x]", e.g. "/MOSCOW/ALLOCGOLD":
// delivery details, location, allocated or unallocated, the commodity, denomination and form.
import type { Parsed } from '../decimal.ts';
import { NO_OPTION } from './codecs.ts';
import type { Codec } from './fields.ts';
import { checkSwiftText, jsonObject, jsonOptionalString, jsonString, oneOf } from './text.ts';

/** Allocated (specific bars) or unallocated (a claim in ounces). */
export const ALLOCATIONS = ['ALLOC', 'UNALL'] as const;
/** Ingot keeps gold only. */
export const COMMODITIES = ['GOLD'] as const;

/** The metal and the kind of account it is held in. */
export interface Metal {
  /** Three letters, e.g. "AVA", or null. */
  readonly delivery: string | null;
  /** Where the metal is held, e.g. "MOSCOW" (15x). */
  readonly location: string;
  readonly allocation: (typeof ALLOCATIONS)[number];
  readonly commodity: (typeof COMMODITIES)[number];
  /** Up to four characters, or null. */
  readonly denomination: string | null;
  /** Up to eight characters, e.g. "BARS", or null. */
  readonly form: string | null;
}

/** The JSON form of a metal: the same members. */
export type MetalJson = { readonly [K in keyof Metal]: Metal[K] };

/** Checks a part of 26C that may not hold "/". */
function checkPart(text: string, maximum: number, what: string): Parsed<string> {
  if (text.includes('/')) return { ok: false, reason: `${what} "${text}" may not hold "/"` };
  return checkSwiftText(text, maximum, what);
}

/** Checks every part of a metal. */
function checkMetal(candidate: {
  delivery: string | null;
  location: string;
  allocation: unknown;
  commodity: unknown;
  denomination: string | null;
  form: string | null;
}): Parsed<Metal> {
  const { delivery, location, denomination, form } = candidate;
  if (delivery !== null && !/^[A-Z]{3}$/.test(delivery)) {
    return { ok: false, reason: `delivery details "${delivery}" are not three letters` };
  }
  const checks = [
    checkPart(location, 15, 'location'),
    denomination === null ? null : checkPart(denomination, 4, 'denomination'),
    form === null ? null : checkPart(form, 8, 'form'),
  ];
  for (const check of checks) if (check !== null && !check.ok) return check;
  const allocation = oneOf(candidate.allocation, ALLOCATIONS, 'metal account type');
  if (!allocation.ok) return allocation;
  if (candidate.commodity !== 'GOLD') {
    return {
      ok: false,
      reason: `commodity ${JSON.stringify(candidate.commodity)} is not GOLD; Ingot keeps gold only`,
    };
  }
  const metal = {
    delivery,
    location,
    allocation: allocation.value,
    commodity: 'GOLD',
    denomination,
    form,
  } as const;
  return { ok: true, value: metal };
}

/** 26C: the metal and its account. */
export const metal: Codec<Metal, MetalJson> = {
  options: NO_OPTION,
  readText: (text) => {
    const parts = /^([^/]*)\/([^/]*)\/(.*)$/.exec(text);
    if (!parts) return { ok: false, reason: `metal "${text}" is not like /MOSCOW/ALLOCGOLD` };
    const [, delivery = '', location = '', rest = ''] = parts;
    const [kind = '', form] = rest.split('//');
    if (rest.split('//').length > 2)
      return { ok: false, reason: `metal "${text}" holds "//" more than once` };
    return checkMetal({
      delivery: delivery === '' ? null : delivery,
      location,
      allocation: kind.slice(0, 5),
      commodity: kind.slice(5, 9),
      denomination: kind.length > 9 ? kind.slice(9) : null,
      form: form ?? null,
    });
  },
  writeText: (m) => {
    const tail = `${m.denomination ?? ''}${m.form === null ? '' : `//${m.form}`}`;
    return { option: '', text: `${m.delivery ?? ''}/${m.location}/${m.allocation}${m.commodity}${tail}` };
  },
  readJson: (value) => {
    const keys = ['delivery', 'location', 'allocation', 'commodity', 'denomination', 'form'];
    const record = jsonObject(value, keys, 'metal');
    if (!record.ok) return record;
    const delivery = jsonOptionalString(record.value.delivery, 'delivery details');
    if (!delivery.ok) return delivery;
    const location = jsonString(record.value.location, 'location');
    if (!location.ok) return location;
    const denomination = jsonOptionalString(record.value.denomination, 'denomination');
    if (!denomination.ok) return denomination;
    const form = jsonOptionalString(record.value.form, 'form');
    if (!form.ok) return form;
    const { allocation, commodity } = record.value;
    const parts = { delivery: delivery.value, location: location.value, denomination: denomination.value };
    return checkMetal({ ...parts, allocation, commodity, form: form.value });
  },
  writeJson: (m) => ({ ...m }),
};
