// The shapes of what custody keeps as JSON bodies: instructions, representatives, signing rules,
// fee schedules and the payloads awaiting approval. Each is typed as `Shape<DomainType>`, and shapes
// are invariant, so the compiler refuses one that drifts from the domain's type in any field.

import type { CustodyFee, FeeSchedule } from '../../domain/custody/charges.ts';
import { ROLES } from '../../domain/custody/controls.ts';
import {
  INSTRUCTION_STATES,
  type Instruction,
  type InstructionDetails,
  type InstructionEvent,
  type Selection,
  type ShipmentQuote,
  type TransferTarget,
} from '../../domain/custody/instruction.ts';
import type { HandOverRecord } from '../../domain/custody/movement.ts';
import type { Representative } from '../../domain/custody/representatives.ts';
import type { Signature, SigningRule } from '../../domain/custody/signing.ts';
import type { UserChange } from '../../domain/custody/user-admin.ts';
import type { Fixing } from '../../domain/fixing.ts';
import { CURRENCY_CODES, type Money } from '../../domain/money.ts';
import { readStored } from '../kernel/json.ts';
import {
  absentBefore,
  array,
  bigint,
  boolean,
  integer,
  nullable,
  object,
  oneOf,
  type Shape,
  string,
  variants,
} from '../kernel/shape.ts';
import type { ApprovalPayload } from './approvals-store.ts';

const currency = oneOf(CURRENCY_CODES);

const MONEY: Shape<Money> = object({ currency, minor: bigint });

const SIGNED: Shape<Pick<Signature, 'user_id' | 'signed_on'>> = object({
  user_id: string,
  signed_on: string,
});

/** A signature: its signatory and date, and the digest signed, absent on signatures made before. */
const SIGNATURE: Shape<Signature> = {
  flaw(value, path) {
    const flaw = SIGNED.flaw(value, path);
    if (flaw || typeof value !== 'object' || value === null || !Object.hasOwn(value, 'digest')) return flaw;
    return string.flaw((value as { digest?: unknown }).digest, path === '' ? 'digest' : `${path}.digest`);
  },
  is: (value): value is Signature => SIGNATURE.flaw(value, '') === undefined,
};

const SELECTION: Shape<Selection> = variants('kind', {
  bars: { bar_ids: array(bigint) },
  quantity: { fine_milli_oz: bigint },
});

const TRANSFER_TARGET: Shape<TransferTarget> = variants('kind', {
  existing_account: { account_id: string },
  disposal_account: { account_id: string, beneficiary_party_id: string, beneficiary_name: string },
});

const DETAILS: Shape<InstructionDetails> = variants('kind', {
  release: { representative_id: string, release_on: string },
  transfer: { target: TRANSFER_TARGET },
  shipment: { destination: string, carrier: string, insurance_value: MONEY },
});

const QUOTE: Shape<ShipmentQuote> = object({
  transport: MONEY,
  insurance: MONEY,
  quoted_on: string,
  valid_until: string,
});

export const INSTRUCTION: Shape<Instruction> = object({
  id: string,
  client_party_id: string,
  source_account_id: string,
  selection: SELECTION,
  details: DETAILS,
  state: oneOf(INSTRUCTION_STATES),
  drafted_by: string,
  drafted_on: string,
  last_step_on: string,
  signatures: array(SIGNATURE),
  quote: nullable(QUOTE),
  quote_signatures: array(SIGNATURE),
});

export const REPRESENTATIVE: Shape<Representative> = object({
  id: string,
  client_party_id: string,
  name: string,
  identity_document: string,
  authority_valid_from: string,
  authority_valid_until: string,
  revoked_on: nullable(string),
  account_ids: array(string),
  limit_fine_milli_oz: nullable(bigint),
});

export const SIGNING_RULE: Shape<SigningRule> = object({
  account_id: string,
  required_signatures: integer,
  signatory_user_ids: array(string),
});

const CUSTODY_FEE: Shape<CustodyFee> = variants('kind', {
  none: {},
  rate_of_value: { per_year_per10k: bigint },
  per_bar: { per_bar_per_year_minor: bigint },
});

export const FEE_SCHEDULE: Shape<FeeSchedule> = object({
  agreement_id: string,
  currency,
  custody: CUSTODY_FEE,
  handling_per_release_minor: bigint,
  handling_per_transfer_minor: bigint,
  handling_per_shipment_minor: bigint,
  // The domain names the two payers only in the type; invariance keeps this list equal to it.
  shipment_costs_payer: oneOf(['client', 'depository']),
});

const EVENT: Shape<InstructionEvent> = variants('kind', {
  sign: {},
  cancel: { reason: string },
  accept: {},
  reject: { reason: string },
  execute: {},
  fail: { reason: string },
  quote: { transport: MONEY, insurance: MONEY, valid_until: string },
  accept_quote: {},
  decline_quote: { reason: string },
  dispatch: {},
  confirm_delivery: {},
  report_return: { reason: string },
});

const HAND_OVER: Shape<HandOverRecord> = object({
  representative_id: string,
  identity_document_checked: boolean,
});

const FIXING: Shape<Fixing> = object({ date: string, currency, minor_per_oz: bigint, source: string });

const USER_CHANGE: Shape<UserChange> = variants('kind', {
  register_user: { user: object({ id: string, name: string, party_id: string, role: oneOf(ROLES) }) },
  change_user_role: { user_id: string, party_id: string, role: oneOf(ROLES) },
  disable_user: { user_id: string, party_id: string },
});

export const APPROVAL_PAYLOAD: Shape<ApprovalPayload> = variants('kind', {
  instruction_step: {
    instruction_id: string,
    event: EVENT,
    date: string,
    handover: nullable(HAND_OVER),
    bar_ids: nullable(array(bigint)),
  },
  register_representative: { representative: REPRESENTATIVE },
  revoke_representative: { representative_id: string, revoked_on: string },
  set_signing_rule: { rule: SIGNING_RULE, owner_party_id: string },
  record_fixing: { fixings: array(FIXING) },
  set_fee_schedule: { schedule: FEE_SCHEDULE, party_id: string },
  user_change: { change: USER_CHANGE, first_part_hash: absentBefore(string) },
  reweigh_bar: {
    refiner: string,
    serial: string,
    gross_milli_oz: bigint,
    fineness: bigint,
    date: string,
    reason: string,
  },
});

/** A stored instruction body, checked; `id` names it if it is corrupt. */
export function storedInstruction(body: string, id: string): Instruction {
  return readStored(body, `instruction ${id}`, INSTRUCTION);
}

/** A stored representative body, checked. */
export function storedRepresentative(body: string, id: string): Representative {
  return readStored(body, `representative ${id}`, REPRESENTATIVE);
}

/** A stored signing rule body, checked. */
export function storedSigningRule(body: string, accountId: string): SigningRule {
  return readStored(body, `signing rule of ${accountId}`, SIGNING_RULE);
}

/** A stored fee schedule body, checked. */
export function storedFeeSchedule(body: string, partyId: string): FeeSchedule {
  return readStored(body, `fee schedule of ${partyId}`, FEE_SCHEDULE);
}

/** A stored approval payload, checked. */
export function storedApprovalPayload(payload: string, approvalId: bigint): ApprovalPayload {
  return readStored(payload, `approval ${approvalId}`, APPROVAL_PAYLOAD);
}
