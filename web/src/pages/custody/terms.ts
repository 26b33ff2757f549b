// What the custody pages read of an instruction: the API sends its terms as a record of unknown
// values (bar ids and amounts as decimal strings); this reads them, field by field, into one shape.
import type { AuthorizedRepresentative, InstructionShown } from '../../types.ts';

/** An amount of money as the API sends it. */
export interface MoneyShown {
  readonly currency: string;
  readonly minor: string;
}

/** The terms of an instruction the desk shows and acts on. */
export interface Terms {
  readonly id: string;
  readonly state: string;
  readonly kind: string;
  readonly source_account_id: string;
  /** A release's representative, or "". */
  readonly representative_id: string;
  /** A transfer's target account, or "". */
  readonly to: string;
  readonly destination: string;
  /** The quantity asked (milli-oz), or "" when bars are named. */
  readonly quantity_fine_milli_oz: string;
  readonly signers: readonly string[];
  readonly quote_signers: readonly string[];
  readonly quote: { readonly transport: MoneyShown; readonly insurance: MoneyShown } | null;
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function money(value: unknown): MoneyShown {
  const fields = record(value);
  return { currency: text(fields.currency), minor: text(fields.minor) };
}

function signers(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((signature: unknown) => {
    const id = text(record(signature).user_id);
    return id === '' ? [] : [id];
  });
}

/** Reads the terms of an instruction from what GET /instructions/{id} sends. */
export function termsOf(instruction: InstructionShown['instruction']): Terms {
  const details = record(instruction.details);
  const target = record(details.target);
  const selection = record(instruction.selection);
  const quote =
    typeof instruction.quote === 'object' && instruction.quote !== null ? record(instruction.quote) : null;
  return {
    id: text(instruction.id),
    state: text(instruction.state),
    kind: text(details.kind),
    source_account_id: text(instruction.source_account_id),
    representative_id: text(details.representative_id),
    to: text(target.account_id),
    destination: text(details.destination),
    quantity_fine_milli_oz: text(selection.fine_milli_oz),
    signers: signers(instruction.signatures),
    quote_signers: signers(instruction.quote_signatures),
    quote: quote ? { transport: money(quote.transport), insurance: money(quote.insurance) } : null,
  };
}

/** The instruction an approval's payload concerns, or "" when it concerns none. */
export function approvalInstruction(payload: unknown): string {
  return text(record(payload).instruction_id);
}

/** The event an approval of an instruction step would carry out ("dispatch"), or "". */
export function approvalEvent(payload: unknown): string {
  return text(record(record(payload).event).kind);
}

/**
 * An authorized representative as the custody pages show it: its terms as GET /representatives
 * sends them, with the fine gold of its executed releases so far (milli-oz; null until read).
 */
export type RepresentativeShown = AuthorizedRepresentative & {
  readonly received_fine_milli_oz: string | null;
};
