// What the custody pages read of an instruction (its terms as GET /instructions/{id} sends them,
// typed by the server's schema) and of an approval's payload, in the shapes the pages use.
import type { AuthorizedRepresentative, InstructionShown } from '../../types.ts';

type Instruction = InstructionShown['instruction'];
/** An amount of money as the API sends it. */
type MoneyShown = NonNullable<Instruction['quote']>['transport'];

/** The terms of an instruction the desk shows and acts on. */
export interface Terms {
  readonly id: string;
  readonly state: string;
  readonly kind: Instruction['details']['kind'];
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

/** The terms of an instruction as GET /instructions/{id} sends them, in the shape the pages use. */
export function termsOf(instruction: Instruction): Terms {
  const { details, selection, quote } = instruction;
  return {
    id: instruction.id,
    state: instruction.state,
    kind: details.kind,
    source_account_id: instruction.source_account_id,
    representative_id: details.kind === 'release' ? details.representative_id : '',
    to: details.kind === 'transfer' ? details.target.account_id : '',
    destination: details.kind === 'shipment' ? details.destination : '',
    quantity_fine_milli_oz: selection.kind === 'quantity' ? selection.fine_milli_oz : '',
    signers: instruction.signatures.map((signature) => signature.user_id),
    quote_signers: instruction.quote_signatures.map((signature) => signature.user_id),
    quote: quote ? { transport: quote.transport, insurance: quote.insurance } : null,
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
