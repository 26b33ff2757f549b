// An amount or weight shown by the core's rules, right-aligned in tables.
import { showAmount } from '../format.ts';

export function Amount({ unit, minor, date }: { unit: string; minor: string; date?: string | undefined }) {
  const negative = minor.startsWith('-');
  return <span className={negative ? 'num negative' : 'num'}>{showAmount(unit, minor, date)}</span>;
}
