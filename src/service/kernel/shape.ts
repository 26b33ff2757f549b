// Shapes: small structural checks for data the program did not just build itself (a JSON body read
// back from the books), so that such data becomes a domain type only after every field has been
// seen to be one, instead of by a cast that lets a corrupt record travel on and fail far away.

/** Where a value departs from its shape and how: `path` reads like `details.target.kind` or `signatures[1]`. */
export interface Flaw {
  /** Empty when the value itself, not one of its parts, is at fault. */
  readonly path: string;
  readonly problem: string;
}

/**
 * A check that a value is a T. Invariant in T, so that `const s: Shape<Instruction> = object({…})`
 * compiles only when the shape reads exactly the domain's type: no field left out or added, no enum
 * narrower or wider, no number where the domain has a bigint.
 */
export interface Shape<in out T> {
  /** The first flaw of `value` as a T, found at `path`; undefined when it is a T. */
  readonly flaw: (value: unknown, path: string) => Flaw | undefined;
  /** True when `value` is a T: the one place where `unknown` becomes T, and only after the check. */
  readonly is: (value: unknown) => value is T;
}

/** What any shape offers, whatever it reads: the constraint of the combinators' arguments. */
interface AnyShape {
  readonly flaw: (value: unknown, path: string) => Flaw | undefined;
}

/** The type a shape reads. */
export type Read<S> = S extends Shape<infer T> ? T : never;

/** The fields of an object shape, by name. */
export type Fields = Readonly<Record<string, AnyShape>>;

/** The object type a set of fields reads. */
export type ObjectOf<F extends Fields> = { readonly [K in keyof F]: Read<F[K]> };

function shape<T>(flaw: (value: unknown, path: string) => Flaw | undefined): Shape<T> {
  return { flaw, is: (value: unknown): value is T => flaw(value, '') === undefined };
}

/** The path of a field of the value at `path`. */
function field(path: string, name: string): string {
  return path === '' ? name : `${path}.${name}`;
}

/** The value as a message shows it: its kind, and the value itself when it is short. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return value.length <= 40 ? `the string ${JSON.stringify(value)}` : 'a long string';
    case 'number':
      return `the number ${value}`;
    case 'bigint':
      return `the bigint ${value}`;
    case 'boolean':
      return `${value}`;
    default:
      return 'an object';
  }
}

/** A flaw for a value that is not what was expected; "missing" when there is none at all. */
function unexpected(expected: string, value: unknown, path: string): Flaw {
  if (value === undefined) return { path, problem: 'is missing' };
  return { path, problem: `should be ${expected}, not ${describeValue(value)}` };
}

/** A shape of single values, from a test and the words for what passes it. */
function leaf<T>(expected: string, test: (value: unknown) => value is T): Shape<T> {
  return shape<T>((value, path) => (test(value) ? undefined : unexpected(expected, value, path)));
}

export const string: Shape<string> = leaf('a string', (value) => typeof value === 'string');

export const boolean: Shape<boolean> = leaf('true or false', (value) => typeof value === 'boolean');

/** An exact integer: amounts, weights and ids the domain keeps as bigints. */
export const bigint: Shape<bigint> = leaf('a bigint', (value) => typeof value === 'bigint');

/** A whole JavaScript number, for the few counts the domain keeps as numbers. */
export const integer: Shape<number> = leaf(
  'a whole number',
  (value): value is number => typeof value === 'number' && Number.isSafeInteger(value),
);

/** One of a closed list of strings: pass the domain's own list (`INSTRUCTION_STATES`) where it has one. */
export function oneOf<const L extends readonly string[]>(values: L): Shape<L[number]> {
  const listed = values.join(', ');
  return shape<L[number]>((value, path) => {
    if (typeof value !== 'string') return unexpected(`one of ${listed}`, value, path);
    if (values.includes(value)) return undefined;
    return { path, problem: `is ${JSON.stringify(value)}, not one of ${listed}` };
  });
}

/** A value of the shape, or null. */
export function nullable<T>(inner: Shape<T>): Shape<T | null> {
  return shape<T | null>((value, path) => (value === null ? undefined : inner.flaw(value, path)));
}

/** Marks a field an older record may lack. */
const MAY_BE_ABSENT = Symbol('may be absent');

/**
 * A field of the shape that records written before it existed lack: absent, it reads undefined.
 * Only for fields added later to what the books keep; a field every record has is not optional.
 */
export function absentBefore<T>(inner: Shape<T>): Shape<T | undefined> {
  const made = shape<T | undefined>((value, path) =>
    value === undefined ? undefined : inner.flaw(value, path),
  );
  return Object.assign(made, { [MAY_BE_ABSENT]: true });
}

/** An array whose every item has the shape. */
export function array<T>(item: Shape<T>): Shape<readonly T[]> {
  return shape<readonly T[]>((value, path) => {
    if (!Array.isArray(value)) return unexpected('an array', value, path);
    for (const [index, each] of value.entries()) {
      const flaw = item.flaw(each, `${path}[${index}]`);
      if (flaw) return flaw;
    }
    return undefined;
  });
}

/** True when the value is a plain record (an object, not an array or null). */
export function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The first flaw of the named fields of a record; a field absent from it is missing. */
function fieldsFlaw(
  record: Readonly<Record<string, unknown>>,
  fields: Fields,
  path: string,
): Flaw | undefined {
  for (const [name, each] of Object.entries(fields)) {
    const at = field(path, name);
    if (!Object.hasOwn(record, name)) {
      if (MAY_BE_ABSENT in each) continue;
      return { path: at, problem: 'is missing' };
    }
    const flaw = each.flaw(record[name], at);
    if (flaw) return flaw;
  }
  return undefined;
}

/**
 * An object with these fields, each of its shape. Fields not named are let through untouched: what
 * the domain reads is checked, and an extra field harms nothing it reads.
 */
export function object<const F extends Fields>(fields: F): Shape<ObjectOf<F>> {
  return shape<ObjectOf<F>>((value, path) =>
    isRecord(value) ? fieldsFlaw(value, fields, path) : unexpected('an object', value, path),
  );
}

/** The object types of a tagged union: each case's fields, with the tag set to the case's name. */
export type Variants<K extends string, V extends Readonly<Record<string, Fields>>> = {
  [C in keyof V & string]: {
    readonly [P in K | keyof V[C]]: P extends K ? C : P extends keyof V[C] ? Read<V[C][P]> : never;
  };
}[keyof V & string];

/**
 * A tagged union, as the domain writes them (`{ kind: 'bars', … } | { kind: 'quantity', … }`): the
 * tag must name a case, then the object must have that case's fields.
 */
export function variants<const K extends string, const V extends Readonly<Record<string, Fields>>>(
  tag: K,
  cases: V,
): Shape<Variants<K, V>> {
  const names = Object.keys(cases);
  const tags = oneOf(names);
  return shape<Variants<K, V>>((value, path) => {
    if (!isRecord(value)) return unexpected('an object', value, path);
    const at = field(path, tag);
    if (!Object.hasOwn(value, tag)) return { path: at, problem: 'is missing' };
    const name = value[tag];
    const fields = typeof name === 'string' && Object.hasOwn(cases, name) ? cases[name] : undefined;
    if (fields === undefined) return tags.flaw(name, at);
    return fieldsFlaw(value, fields, path);
  });
}

/** A flaw in words, the path first: "details.kind is missing". */
export function describeFlaw(flaw: Flaw): string {
  return flaw.path === '' ? `the value ${flaw.problem}` : `${flaw.path} ${flaw.problem}`;
}
