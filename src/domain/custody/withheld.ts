// What a reader not cleared for a bar list is shown of an account that names bars (an instruction's,
// or an approval's of a step on one or of a bar's reweighing): the lines that name no bar, then one
// line saying how many were withheld and why. The count of bars and their total weight stay, as an
// account's balance does; which bars (refiner, serial, bar id, weight) do not.

/** Where an account names bars: line by line (an instruction's), or all past its header (a bar's). */
export type BarLines = 'bar_lines' | 'all_but_header';

/** A line of an instruction's account naming one bar, as instruction-account.ts composes it. */
const BAR_LINE = /^\s*Bar .* \(bar id \d+\): /;

/** True when the line names a bar of an instruction by refiner, serial and bar id. */
export function namesBar(line: string): boolean {
  return BAR_LINE.test(line);
}

/** An account as an uncleared reader sees it, and how many of its lines were withheld. */
export interface Withheld {
  readonly lines: string[];
  readonly withheld: number;
}

/** The account as an uncleared reader sees it: bar lines withheld, and the notice why. */
export function withheldLines(lines: readonly string[], where: BarLines, notice: string): Withheld {
  const kept = where === 'all_but_header' ? lines.slice(0, 1) : lines.filter((line) => !namesBar(line));
  const withheld = lines.length - kept.length;
  if (withheld === 0) return { lines: [...lines], withheld };
  const count = withheld === 1 ? '1 line naming bars' : `${withheld} lines naming bars`;
  return { lines: [...kept, `${count} withheld: ${notice}`], withheld };
}
