// Pinning a bank's signing key at the relay, from the public file the bank hands over out of band
// (the same file its correspondents pin): the relay then accepts requests signed by that key only.
import { type CorrespondenceOutcome, refuseCorrespondence } from '../domain/correspondence/refusal.ts';
import type { PublicKeyFile } from './keyfile.ts';
import { bankFingerprint, importPublicKeys } from './keys.ts';
import { openRelayStore, type RelayBank } from './relay-store.ts';
import { isBankId } from './seal.ts';

/** What pinning at the relay asks. */
export interface RelayPinRequest {
  readonly bank_id: string;
  readonly file: PublicKeyFile;
  /** The fingerprint read out of band, if it was: it must match the keys. */
  readonly fingerprint?: string;
  /** Replace a key already pinned for the bank (a key change agreed out of band). */
  readonly replace: boolean;
  readonly now: string;
}

/** Pins a bank's signing key in the relay's store at `db`; a different key only with `replace`. */
export function pinRelayBank(
  db: string,
  request: RelayPinRequest,
): CorrespondenceOutcome<{ bank: RelayBank; changed: 'pinned' | 'unchanged' | 'replaced' }> {
  if (!isBankId(request.bank_id)) {
    return refuseCorrespondence('invalid_input', `"${request.bank_id}" is not a bank id`, 'bank');
  }
  if (request.file.bank !== '' && request.file.bank !== request.bank_id) {
    const message = `the file holds the keys of ${request.file.bank}, not ${request.bank_id}`;
    return refuseCorrespondence('invalid_input', message, 'bank');
  }
  const imported = importPublicKeys(request.file);
  if (!imported.ok) return refuseCorrespondence('invalid_input', imported.message, 'file');
  const fingerprint = bankFingerprint(imported.keys);
  const normalize = (text: string) => text.replace(/\s+/g, '').toUpperCase();
  for (const stated of [request.file.fingerprint, request.fingerprint ?? '']) {
    if (stated !== '' && normalize(stated) !== normalize(fingerprint)) {
      const message = `the keys' fingerprint is ${fingerprint}, not ${stated}`;
      return refuseCorrespondence('fingerprint_mismatch', message, 'fingerprint');
    }
  }
  const store = openRelayStore(db);
  try {
    const bank = { bank_id: request.bank_id, signing_public: request.file.signing };
    const pinned = store.pin(bank, request.now, request.replace);
    if (!pinned.ok) return refuseCorrespondence('key_already_pinned', pinned.message, 'bank');
    return pinned;
  } finally {
    store.close();
  }
}

/** The banks pinned at the relay whose store is at `db`. */
export function relayBanks(db: string): RelayBank[] {
  const store = openRelayStore(db);
  try {
    return store.banks();
  } finally {
    store.close();
  }
}
