// Drafting an instruction (a client's signatory): a release to an authorized representative, a
// transfer to a third party, or a shipment. The gold is bars chosen by serial from the account's
// own list, or a quantity for which the depository proposes bars. Drafting asks first, stating
// the bars, the representative's authority and limit, the destination.
import { useState } from 'react';
import { call } from '../../api.ts';
import { useConfirm } from '../../components/Confirm.tsx';
import { useDesk } from '../../desk.ts';
import { readQuantity, showWeight } from '../../format.ts';
import { describeError, useLoad } from '../../hooks.ts';
import type { Account, InstructionDrafted } from '../../types.ts';
import { BarPicker, fineWeightOf } from './BarPicker.tsx';
import { type DraftFields, draftOf } from './draft-body.ts';
import { RowNotice, useRowNotices } from './notices.tsx';
import { RepresentativeSelect } from './RepresentativeSelect.tsx';
import { authorizedOn, representativeLines } from './representative-lines.ts';
import { remainingOf, useRepresentatives } from './representatives-read.ts';
import type { RepresentativeShown } from './terms.ts';

const NOTICE = 'draft';

function blank(account: string, date: string): DraftFields {
  return {
    kind: 'release',
    account,
    choice: 'bars',
    bars: [],
    quantity: '',
    representative: '',
    release_on: date,
    to: '',
    disposal: false,
    beneficiary: '',
    beneficiary_name: '',
    destination: '',
    carrier: '',
    insurance: '',
  };
}

/** The chosen representative's authority and limit, stated before anything is submitted. */
function RepresentativeTerms({ fields, chosen }: { fields: DraftFields; chosen?: RepresentativeShown }) {
  if (!chosen) return null;
  const asked =
    fields.choice === 'bars'
      ? fineWeightOf(fields.bars)
      : (() => {
          const read = readQuantity(fields.quantity);
          return read.ok ? BigInt(read.milli) : 0n;
        })();
  const limit = chosen.limit_fine_milli_oz;
  const left = remainingOf(chosen);
  const over =
    left !== undefined
      ? asked > left
        ? `this release, ${showWeight(asked.toString())}, is above the ${showWeight(left.toString())} left of its limit`
        : ''
      : limit !== null && asked > BigInt(limit)
        ? 'this release alone is above the limit'
        : '';
  const problems = [
    over,
    authorizedOn(chosen, fields.release_on) ? '' : `not authorized on ${fields.release_on}`,
    chosen.account_ids.includes(fields.account) ? '' : `not authorized for ${fields.account}`,
  ].filter((problem) => problem !== '');
  return (
    <div
      className={`representative-terms${problems.length > 0 ? ' over' : ''}`}
      data-representative={chosen.id}
    >
      {representativeLines(chosen).map((line) => (
        <div key={line}>{line}</div>
      ))}
      {problems.length > 0 && <div>Careful: {problems.join('; ')}.</div>}
    </div>
  );
}

function KindFields({
  fields,
  set,
  representatives,
}: {
  fields: DraftFields;
  set: (change: Partial<DraftFields>) => void;
  representatives: readonly RepresentativeShown[];
}) {
  if (fields.kind === 'release') {
    const chosen = representatives.find((r) => r.id === fields.representative);
    return (
      <div>
        <RepresentativeSelect
          label="Representative"
          name="representative"
          value={fields.representative}
          representatives={representatives}
          onChange={(representative) => set({ representative })}
        />
        <label>
          On or after{' '}
          <input
            type="date"
            name="release_on"
            value={fields.release_on}
            onChange={(e) => set({ release_on: e.target.value })}
          />
        </label>
        <RepresentativeTerms fields={fields} chosen={chosen} />
      </div>
    );
  }
  if (fields.kind === 'transfer') {
    return (
      <div>
        <label>
          To account <input name="to" value={fields.to} onChange={(e) => set({ to: e.target.value })} />
        </label>
        <label>
          <input
            type="checkbox"
            name="disposal"
            checked={fields.disposal}
            onChange={(e) => set({ disposal: e.target.checked })}
          />{' '}
          a disposal account, opened for
        </label>
        {fields.disposal && (
          <>
            <label>
              Beneficiary (party){' '}
              <input
                name="beneficiary"
                value={fields.beneficiary}
                onChange={(e) => set({ beneficiary: e.target.value })}
              />
            </label>
            <label>
              Its name{' '}
              <input
                name="beneficiary_name"
                value={fields.beneficiary_name}
                onChange={(e) => set({ beneficiary_name: e.target.value })}
              />
            </label>
          </>
        )}
      </div>
    );
  }
  return (
    <div>
      <label>
        Destination{' '}
        <input
          name="destination"
          value={fields.destination}
          onChange={(e) => set({ destination: e.target.value })}
        />
      </label>
      <label>
        Carrier{' '}
        <input name="carrier" value={fields.carrier} onChange={(e) => set({ carrier: e.target.value })} />
      </label>
      <label>
        Insured value{' '}
        <input
          name="insurance"
          value={fields.insurance}
          placeholder="£1,000,000"
          onChange={(e) => set({ insurance: e.target.value })}
        />
      </label>
    </div>
  );
}

export function InstructionDraft({ onDrafted }: { onDrafted: (id: string) => void }) {
  const desk = useDesk();
  const [dialog, ask] = useConfirm();
  const notices = useRowNotices();
  const [fields, setFields] = useState(() => blank(`${desk.session.user.party_id}-GOLD`, desk.date));
  // Each draft starts the bar list afresh: the bars it reserved are no longer free.
  const [drafts, setDrafts] = useState(0);
  const set = (change: Partial<DraftFields>) => setFields((now) => ({ ...now, ...change }));
  const accounts = useLoad(() => call<Account[]>('GET', '/accounts'), []);
  const listed = useRepresentatives(drafts);
  const representatives = (listed.data ?? []).filter((r) => r.revoked_on === null);
  const custody = (accounts.data ?? []).filter((a) => a.kind === 'custody' && !a.id.endsWith('-TRANSIT'));
  const submit = async () => {
    const chosen = representatives.find((r) => r.id === fields.representative);
    const drafted = draftOf(fields, desk.date, chosen);
    if (!drafted.ok) return notices.refuse(NOTICE, `Not drafted: ${drafted.reason}`);
    const answer = await ask({ title: `Draft a ${fields.kind}`, lines: drafted.lines, verb: 'Draft' });
    if (!answer.confirmed) return;
    try {
      const done = await call<InstructionDrafted>('POST', '/instructions', drafted.body);
      notices.succeed(NOTICE, `${done.instruction_id} drafted; it needs the signatures`);
      setFields(blank(fields.account, desk.date));
      setDrafts((n) => n + 1);
      onDrafted(done.instruction_id);
    } catch (reason) {
      notices.refuse(NOTICE, `Not drafted: ${describeError(reason)}`);
    }
  };
  return (
    <form className="draft custody-form" onSubmit={(e) => e.preventDefault()}>
      {dialog}
      <h3>Draft an instruction</h3>
      <label>
        Kind{' '}
        <select
          name="kind"
          value={fields.kind}
          onChange={(e) =>
            set({
              kind:
                e.target.value === 'transfer'
                  ? 'transfer'
                  : e.target.value === 'shipment'
                    ? 'shipment'
                    : 'release',
            })
          }
        >
          <option value="release">release to a representative</option>
          <option value="transfer">transfer to a third party</option>
          <option value="shipment">shipment</option>
        </select>
      </label>
      <label>
        From account{' '}
        <select
          name="account"
          value={fields.account}
          onChange={(e) => set({ account: e.target.value, bars: [] })}
        >
          {custody.length === 0 && <option value={fields.account}>{fields.account}</option>}
          {custody.map((a) => (
            <option key={a.id} value={a.id}>
              {a.id}
            </option>
          ))}
        </select>
      </label>
      <label>
        <input
          type="radio"
          name="choice"
          value="bars"
          checked={fields.choice === 'bars'}
          onChange={() => set({ choice: 'bars' })}
        />{' '}
        bars chosen by serial
      </label>
      <label>
        <input
          type="radio"
          name="choice"
          value="quantity"
          checked={fields.choice === 'quantity'}
          onChange={() => set({ choice: 'quantity' })}
        />{' '}
        a quantity
      </label>
      {fields.choice === 'bars' ? (
        <BarPicker
          key={drafts}
          account={fields.account}
          chosen={fields.bars}
          onChange={(bars) => set({ bars })}
        />
      ) : (
        <label>
          Quantity{' '}
          <input
            name="quantity"
            value={fields.quantity}
            placeholder="800 oz"
            onChange={(e) => set({ quantity: e.target.value })}
          />
        </label>
      )}
      <KindFields fields={fields} set={set} representatives={representatives} />
      <button type="button" onClick={submit}>
        Draft…
      </button>
      <RowNotice notices={notices} of={NOTICE} />
    </form>
  );
}
