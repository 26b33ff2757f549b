// Proposing an authorized representative (a client's signatory): who, by which identity document,
// from when to when, for which custody accounts, up to how much gold in all. A second signatory
// approves it; until then nobody may collect in its name.
import { useState } from 'react';
import { call } from '../../api.ts';
import type { ConfirmAnswer, ConfirmRequest } from '../../components/Confirm.tsx';
import { useDesk } from '../../desk.ts';
import { readQuantity } from '../../format.ts';
import { describeError, useLoad } from '../../hooks.ts';
import type { Account, Pending } from '../../types.ts';
import type { RowNotices } from './notices.tsx';
import { representativeLines } from './representative-lines.ts';

const NOTICE = 'propose';

interface Fields {
  readonly id: string;
  readonly name: string;
  readonly identity_document: string;
  readonly from: string;
  readonly until: string;
  readonly accounts: readonly string[];
  readonly limit: string;
}

export function RepresentativeForm({
  ask,
  notices,
  onProposed,
}: {
  ask: (request: ConfirmRequest) => Promise<ConfirmAnswer>;
  notices: RowNotices;
  onProposed: () => void;
}) {
  const desk = useDesk();
  const gold = `${desk.session.user.party_id}-GOLD`;
  const blank: Fields = {
    id: '',
    name: '',
    identity_document: '',
    from: desk.date,
    until: '',
    accounts: [gold],
    limit: '',
  };
  const [fields, setFields] = useState<Fields>(blank);
  const set = (change: Partial<Fields>) => setFields((now) => ({ ...now, ...change }));
  const accounts = useLoad(() => call<Account[]>('GET', '/accounts'), []);
  const custody = (accounts.data ?? []).filter((a) => a.kind === 'custody' && !a.id.endsWith('-TRANSIT'));
  const propose = async () => {
    const limit = fields.limit.trim() === '' ? null : readQuantity(fields.limit);
    if (limit && !limit.ok) return notices.refuse(NOTICE, `Not proposed: limit: ${limit.reason}`);
    const missing = (['id', 'name', 'identity_document', 'from', 'until'] as const).filter(
      (f) => fields[f].trim() === '',
    );
    if (missing.length > 0) return notices.refuse(NOTICE, `Not proposed: give ${missing.join(', ')}`);
    if (fields.accounts.length === 0) return notices.refuse(NOTICE, 'Not proposed: choose its accounts');
    const body = {
      id: fields.id.trim(),
      name: fields.name.trim(),
      identity_document: fields.identity_document.trim(),
      authority_valid_from: fields.from,
      authority_valid_until: fields.until,
      account_ids: fields.accounts,
      limit_fine_milli_oz: limit ? limit.milli : null,
    };
    const lines = representativeLines({
      ...body,
      account_ids: [...body.account_ids],
      client_party_id: desk.session.user.party_id,
      revoked_on: null,
      received_fine_milli_oz: null,
      made_by: desk.session.user.id,
      checked_by: null,
    });
    const answer = await ask({
      title: `Propose representative ${body.id}`,
      lines: [...lines, 'A second signatory of your bank approves it; until then it collects nothing.'],
      verb: 'Propose',
    });
    if (!answer.confirmed) return;
    try {
      const done = await call<Pending>('POST', '/representatives', body);
      notices.succeed(
        NOTICE,
        `${body.id} proposed: approval #${done.pending_approval} waits for a second signatory`,
      );
      setFields(blank);
      onProposed();
    } catch (reason) {
      notices.refuse(NOTICE, `Not proposed: ${describeError(reason)}`);
    }
  };
  const toggle = (id: string) =>
    set({
      accounts: fields.accounts.includes(id)
        ? fields.accounts.filter((a) => a !== id)
        : [...fields.accounts, id],
    });
  return (
    <form className="custody-form representative-form" onSubmit={(e) => e.preventDefault()}>
      <h3>Propose a representative</h3>
      <label>
        Id{' '}
        <input
          name="rep_id"
          value={fields.id}
          placeholder="REP-3"
          onChange={(e) => set({ id: e.target.value })}
        />
      </label>
      <label>
        Name <input name="rep_name" value={fields.name} onChange={(e) => set({ name: e.target.value })} />
      </label>
      <label>
        Identity document{' '}
        <input
          name="rep_document"
          value={fields.identity_document}
          onChange={(e) => set({ identity_document: e.target.value })}
        />
      </label>
      <br />
      <label>
        Authority from{' '}
        <input
          type="date"
          name="rep_from"
          value={fields.from}
          onChange={(e) => set({ from: e.target.value })}
        />
      </label>
      <label>
        until{' '}
        <input
          type="date"
          name="rep_until"
          value={fields.until}
          onChange={(e) => set({ until: e.target.value })}
        />
      </label>
      <label>
        Limit in all{' '}
        <input
          name="rep_limit"
          value={fields.limit}
          placeholder="none, or 1,000 oz"
          onChange={(e) => set({ limit: e.target.value })}
        />
      </label>
      <br />
      For accounts:{' '}
      {(custody.length > 0 ? custody.map((a) => a.id) : [gold]).map((id) => (
        <label key={id}>
          <input type="checkbox" checked={fields.accounts.includes(id)} onChange={() => toggle(id)} /> {id}
        </label>
      ))}
      <br />
      <button type="button" onClick={propose}>
        Propose…
      </button>
    </form>
  );
}
