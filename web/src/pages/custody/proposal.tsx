// The bars of an instruction as the depository sees them before it acts: for a quantity not yet
// accepted, the bars the engine proposes (accepting reserves exactly those); once accepted, the
// bars it holds. The operator reads the list, and the confirmation states it again.
import { call } from '../../api.ts';
import { showOunces, showWeight } from '../../format.ts';
import { useLoad } from '../../hooks.ts';
import type { Proposal } from '../../types.ts';
import { barName } from './BarPicker.tsx';

/** The bars of an instruction, as GET /instructions/{id}/proposal sends them. */
export type { Proposal } from '../../types.ts';

/** The proposal (or the bars held) of an instruction, or why it cannot be shown. */
export function useProposal(id: string, wanted: boolean): { data?: Proposal; error?: string } {
  const loaded = useLoad(
    () => (wanted ? call<Proposal>('GET', `/instructions/${id}/proposal`) : Promise.resolve(undefined)),
    [id, wanted],
  );
  return { data: loaded.data, error: loaded.error };
}

/** Bars named in a confirmation, at most this many by name; the rest counted. */
const NAMED_MAX = 12;

/** What the proposal says in a confirmation's lines. */
export function proposalLines(proposal: Proposal | undefined, error: string | undefined): string[] {
  if (error) return [`Careful: the bars cannot be shown (${error}); the engine chooses them.`];
  if (!proposal) return [];
  const names = proposal.bars.slice(0, NAMED_MAX).map(barName);
  const more = proposal.bars.length - names.length;
  return [
    `${proposal.proposed ? 'Bars proposed' : 'Bars'}: ${proposal.bars.length}, ` +
      `${showWeight(proposal.fine_milli_oz)}` +
      (proposal.asked_fine_milli_oz ? ` of the ${showWeight(proposal.asked_fine_milli_oz)} asked` : ''),
    `  ${names.join(', ')}${more > 0 ? ` and ${more} more` : ''}`,
  ];
}

export function ProposedBars({ proposal, error }: { proposal?: Proposal; error?: string }) {
  if (error) return <p className="warning proposal">The bars cannot be shown: {error}</p>;
  if (!proposal) return <p className="proposal">Reading the bars…</p>;
  return (
    <div className="proposal" data-proposal={proposal.instruction_id}>
      <p>
        {proposal.proposed
          ? `The bars the depository proposes for ${showWeight(proposal.asked_fine_milli_oz ?? '0')}: `
          : 'The bars of this instruction: '}
        {proposal.bars.length} bars, {showWeight(proposal.fine_milli_oz)}
        {proposal.proposed ? '; accepting reserves exactly these.' : '.'}
      </p>
      <table className="grid trade-bars">
        <thead>
          <tr>
            <th>Bar</th>
            <th>Year</th>
            <th className="num">Fine oz</th>
            <th>Location</th>
          </tr>
        </thead>
        <tbody>
          {proposal.bars.map((bar) => (
            <tr key={bar.id} data-serial={bar.serial}>
              <td>{barName(bar)}</td>
              <td>{bar.year}</td>
              <td className="num">{showOunces(bar.fine_milli_oz)}</td>
              <td>{bar.location ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
