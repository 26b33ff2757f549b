// The one choice of an authorized representative, by id and name: for a release's draft and for
// the hand-over the depository records when it executes one.
import type { ReactElement } from 'react';
import type { RepresentativeShown } from './terms.ts';

export function RepresentativeSelect({
  label,
  name,
  value,
  representatives,
  onChange,
}: {
  label: string;
  name: string;
  value: string;
  representatives: readonly RepresentativeShown[];
  onChange: (id: string) => void;
}): ReactElement {
  return (
    <label>
      {label}{' '}
      <select name={name} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">—</option>
        {representatives.map((r) => (
          <option key={r.id} value={r.id}>
            {r.id}: {r.name}
          </option>
        ))}
      </select>
    </label>
  );
}
