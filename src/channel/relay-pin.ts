// Pinning a bank's signing key at the relay, from the public file the bank hands over out of band
// (the same file its correspondents pin): the relay then accepts requests signed by that key only.
import { type CorrespondenceOutcome, refuseCorrespondence } from '../domain/correspondence/refusal.ts';
import { checkedPublicKeys, type PublicKeyFile } from './keyfile.ts';
import { openRelayStore, type RelayBank } from './relay-store.ts';

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
  const checked = checkedPublicKeys(request);
  if (!checked.ok) return checked;
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
