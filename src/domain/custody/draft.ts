// Drafting an instruction: the terms are checked once, here, before the first signature.
import type { Account } from '../ledger.ts';
import type { CurrencyCode } from '../money.ts';
import type { FineMilliOz } from '../weight.ts';
import { authorizeMaker, type User } from './controls.ts';
import type { Instruction, InstructionDetails, Selection, TransferTarget } from './instruction.ts';
import { type CustodyOutcome, refuseCustody } from './refusal.ts';
import { checkAuthority, type Representative, representativeNotFound } from './representatives.ts';

/** What the client's signatory asks for. */
export interface DraftRequest {
  readonly id: string;
  readonly source_account_id: string;
  readonly selection: Selection;
  readonly details: InstructionDetails;
  readonly date: string;
}

/** What the store loads for a draft. */
export interface DraftContext {
  readonly depository_party_id: string;
  /** The agreement's currency: a shipment's insurance value is stated in it. */
  readonly currency: CurrencyCode;
  /** The source account and, for a transfer, the target account if it exists. */
  readonly accounts: ReadonlyMap<string, Account>;
  /** For a release: the named representative, if registered. */
  readonly representative: Representative | undefined;
  /** The quantity asked, or the named bars' fine weight (reservation.ts, checkBarSelection). */
  readonly selected_fine_milli_oz: FineMilliOz;
  /** For a release: fine gold already handed to the representative under its authority. */
  readonly representative_received_fine_milli_oz: FineMilliOz;
}

/** Checks a draft in order (source account, maker, selection, the kind's terms) and builds it. */
export function draftInstruction(
  request: DraftRequest,
  maker: User,
  context: DraftContext,
): CustodyOutcome<{ instruction: Instruction }> {
  if (request.id.trim() === '') return refuseCustody('invalid_input', 'an instruction needs an id', 'id');
  const source = context.accounts.get(request.source_account_id);
  if (!source) {
    return refuseCustody(
      'account_not_found',
      `account ${request.source_account_id} does not exist`,
      'account',
    );
  }
  const scope = { depository_party_id: context.depository_party_id, owner_party_id: source.party_id };
  const authorized = authorizeMaker('draft_instruction', maker, scope);
  if (!authorized.ok) return authorized;
  if (source.kind !== 'custody' || source.unit !== 'XAU') {
    return refuseCustody(
      'source_account_not_custody',
      `account ${source.id} holds no allocated gold`,
      'account',
    );
  }
  const selection = request.selection;
  if (selection.kind === 'bars' && selection.bar_ids.length === 0) {
    return refuseCustody('selection_is_empty', 'the instruction names no bars', 'bars');
  }
  if (selection.kind === 'quantity' && selection.fine_milli_oz <= 0n) {
    return refuseCustody('invalid_input', 'the quantity must be above zero', 'quantity');
  }
  const terms = checkDetails(request, source, context);
  if (!terms.ok) return terms;
  const instruction: Instruction = {
    id: request.id,
    client_party_id: source.party_id,
    source_account_id: source.id,
    selection,
    details: request.details,
    state: 'drafted',
    drafted_by: maker.id,
    drafted_on: request.date,
    last_step_on: request.date,
    signatures: [],
    quote: null,
    quote_signatures: [],
  };
  return { ok: true, instruction };
}

function checkDetails(request: DraftRequest, source: Account, context: DraftContext): CustodyOutcome<object> {
  const details = request.details;
  switch (details.kind) {
    case 'release': {
      // Another bank's representative is refused here, as one not registered, before anything
      // else about the release (its date, the authority's terms) could answer differently for it.
      const representative = context.representative;
      if (
        !representative ||
        representative.id !== details.representative_id ||
        representative.client_party_id !== source.party_id
      ) {
        return representativeNotFound(details.representative_id);
      }
      if (details.release_on < request.date) {
        return refuseCustody(
          'invalid_input',
          `the release date ${details.release_on} has passed`,
          'release_on',
        );
      }
      return checkAuthority(representative, {
        client_party_id: source.party_id,
        account_id: source.id,
        date: details.release_on,
        fine_milli_oz: context.selected_fine_milli_oz,
        received_fine_milli_oz: context.representative_received_fine_milli_oz,
      });
    }
    case 'transfer':
      return checkTarget(details.target, source, context.accounts);
    case 'shipment': {
      if (details.destination.trim() === '') return invalid('a shipment needs a destination', 'destination');
      if (details.carrier.trim() === '') return invalid('a shipment needs a carrier', 'carrier');
      if (details.insurance_value.currency !== context.currency) {
        const message = `the insurance value must be in ${context.currency}`;
        return refuseCustody('currency_mismatch', message, 'insurance_value');
      }
      if (details.insurance_value.minor <= 0n)
        return invalid('the insurance value must be above zero', 'insurance_value');
      return { ok: true };
    }
  }
}

function checkTarget(
  target: TransferTarget,
  source: Account,
  accounts: ReadonlyMap<string, Account>,
): CustodyOutcome<object> {
  const existing = accounts.get(target.account_id);
  if (target.kind === 'disposal_account') {
    if (existing)
      return refuseCustody('account_exists', `account ${target.account_id} already exists`, 'target');
    if (target.beneficiary_name.trim() === '')
      return invalid('a disposal account needs a beneficiary', 'beneficiary');
    if (target.beneficiary_party_id === source.party_id) {
      return invalid('a disposal account is for a third party, not the client itself', 'beneficiary');
    }
    return { ok: true };
  }
  const missing = refuseCustody('account_not_found', `account ${target.account_id} does not exist`, 'target');
  if (!existing) return missing;
  if (existing.id === source.id) {
    return refuseCustody(
      'target_is_source_account',
      `account ${source.id} cannot transfer to itself`,
      'target',
    );
  }
  if (existing.kind !== 'custody' || existing.unit !== 'XAU') {
    // Another party's account that cannot take gold is answered as one that does not exist: a
    // transfer names its destination only where gold may go, and says nothing of another bank's
    // cash accounts. The client's own is named.
    if (existing.party_id !== source.party_id) return missing;
    return refuseCustody(
      'target_account_not_custody',
      `account ${existing.id} cannot hold allocated gold`,
      'target',
    );
  }
  return { ok: true };
}

function invalid(message: string, field: string) {
  return refuseCustody('invalid_input', message, field);
}
