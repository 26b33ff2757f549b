// What a drafted instruction sends and says: the body of POST /instructions from the form's fields,
// and the lines the confirmation shows, bars by refiner and serial (the ids stay in the body).
import { readMoney, readQuantity, showAmount, showOunces, showWeight } from '../../format.ts';
import type { Bar } from '../../types.ts';
import { barName, fineWeightOf } from './BarPicker.tsx';
import { representativeLines } from './representative-lines.ts';
import type { RepresentativeShown } from './terms.ts';

export interface DraftFields {
  readonly kind: 'release' | 'transfer' | 'shipment';
  readonly account: string;
  readonly choice: 'bars' | 'quantity';
  readonly bars: readonly Bar[];
  readonly quantity: string;
  readonly representative: string;
  readonly release_on: string;
  readonly to: string;
  readonly disposal: boolean;
  readonly beneficiary: string;
  readonly beneficiary_name: string;
  readonly destination: string;
  readonly carrier: string;
  readonly insurance: string;
}

export type Drafted =
  | { readonly ok: true; readonly body: Record<string, unknown>; readonly lines: readonly string[] }
  | { readonly ok: false; readonly reason: string };

function gold(fields: DraftFields): Drafted {
  if (fields.choice === 'bars') {
    if (fields.bars.length === 0) return { ok: false, reason: 'choose at least one bar from the list' };
    const lines = [
      `Gold: ${fields.bars.length} bars, ${showWeight(fineWeightOf(fields.bars).toString())}`,
      ...fields.bars.map((bar) => `  Bar ${barName(bar)}: ${showOunces(bar.fine_milli_oz)} fine oz`),
    ];
    return { ok: true, body: { bars: fields.bars.map((bar) => bar.id) }, lines };
  }
  const read = readQuantity(fields.quantity);
  if (!read.ok) return { ok: false, reason: `quantity: ${read.reason}` };
  const lines = [`Gold: ${showWeight(read.milli)} asked; the depository proposes the bars when it accepts`];
  return { ok: true, body: { quantity_fine_milli_oz: read.milli }, lines };
}

function release(fields: DraftFields, representative: RepresentativeShown | undefined): Drafted {
  if (!representative) return { ok: false, reason: 'choose the representative who collects' };
  const lines = [`Released on or after ${fields.release_on} to:`, ...representativeLines(representative)];
  const body = { representative_id: representative.id, release_on: fields.release_on };
  return { ok: true, body, lines };
}

function transfer(fields: DraftFields): Drafted {
  if (fields.to.trim() === '') return { ok: false, reason: 'name the account the gold goes to' };
  if (!fields.disposal) {
    return { ok: true, body: { to: fields.to.trim() }, lines: [`To custody account ${fields.to.trim()}`] };
  }
  if (fields.beneficiary.trim() === '' || fields.beneficiary_name.trim() === '')
    return { ok: false, reason: 'a disposal account needs the beneficiary and its name' };
  const body = {
    to: fields.to.trim(),
    beneficiary: fields.beneficiary.trim(),
    beneficiary_name: fields.beneficiary_name.trim(),
  };
  const line = `To disposal account ${body.to}, opened for ${body.beneficiary_name} (${body.beneficiary})`;
  return { ok: true, body, lines: [line] };
}

function shipment(fields: DraftFields, date: string): Drafted {
  if (fields.destination.trim() === '' || fields.carrier.trim() === '')
    return { ok: false, reason: 'a shipment needs its destination and carrier' };
  const insured = readMoney(fields.insurance, 'GBP');
  if (!insured.ok) return { ok: false, reason: `insured value: ${insured.reason}` };
  const body = {
    destination: fields.destination.trim(),
    carrier: fields.carrier.trim(),
    insurance: { currency: insured.currency, minor: insured.minor },
  };
  const lines = [
    `Destination: ${body.destination}; carrier: ${body.carrier}`,
    `Insured value: ${showAmount(insured.currency, insured.minor, date)}`,
    'Transport and insurance are quoted by the depository; you accept or decline the quote.',
  ];
  return { ok: true, body, lines };
}

/** The body to send and the lines to confirm, or why the form is not complete. */
export function draftOf(
  fields: DraftFields,
  date: string,
  representative: RepresentativeShown | undefined,
): Drafted {
  const what = gold(fields);
  if (!what.ok) return what;
  const terms =
    fields.kind === 'release'
      ? release(fields, representative)
      : fields.kind === 'transfer'
        ? transfer(fields)
        : shipment(fields, date);
  if (!terms.ok) return terms;
  return {
    ok: true,
    body: { kind: fields.kind, account: fields.account, date, ...what.body, ...terms.body },
    lines: [
      `A ${fields.kind} from custody account ${fields.account}, dated ${date}`,
      ...what.lines,
      ...terms.lines,
      'Drafting moves nothing: the signatories then sign what the instruction states.',
    ],
  };
}
