// The London fixing over time as an SVG line: dates across, the price up. Positions on the chart
// are the only place a price becomes a floating-point number, and only to be drawn.
import { showPrice } from '../../format.ts';
import type { Fixing } from '../../types.ts';

const WIDTH = 720;
const HEIGHT = 240;
const PAD = { left: 90, right: 16, top: 16, bottom: 28 };

function dayOf(date: string): number {
  return Date.parse(`${date}T00:00:00Z`) / 86_400_000;
}

export function FixingChart({ fixings }: { fixings: readonly Fixing[] }) {
  if (fixings.length === 0) return <p>No fixings recorded yet.</p>;
  const first = fixings[0] as Fixing;
  const last = fixings.at(-1) as Fixing;
  const prices = fixings.map((f) => Number(f.minor_per_oz));
  const low = Math.min(...prices);
  const high = Math.max(...prices);
  const span = high - low || Math.max(1, high * 0.02);
  const bottom = low - span * 0.1;
  const top = high + span * 0.1;
  const days = [dayOf(first.date), dayOf(last.date)] as const;
  const x = (date: string) =>
    PAD.left +
    (days[1] === days[0] ? 0.5 : (dayOf(date) - days[0]) / (days[1] - days[0])) *
      (WIDTH - PAD.left - PAD.right);
  const y = (minor: number) =>
    PAD.top + (1 - (minor - bottom) / (top - bottom)) * (HEIGHT - PAD.top - PAD.bottom);
  const points = fixings
    .map((f) => `${x(f.date).toFixed(1)},${y(Number(f.minor_per_oz)).toFixed(1)}`)
    .join(' ');
  const lowest = fixings[prices.indexOf(low)] as Fixing;
  const highest = fixings[prices.indexOf(high)] as Fixing;
  return (
    <svg
      className="chart"
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      role="img"
      aria-label={`${first.currency} fixing over time`}
    >
      <line
        x1={PAD.left}
        y1={HEIGHT - PAD.bottom}
        x2={WIDTH - PAD.right}
        y2={HEIGHT - PAD.bottom}
        className="axis"
      />
      <line x1={PAD.left} y1={PAD.top} x2={PAD.left} y2={HEIGHT - PAD.bottom} className="axis" />
      <text x={PAD.left - 6} y={y(high) + 4} textAnchor="end">
        {showPrice(highest.currency, highest.minor_per_oz, highest.date)}
      </text>
      {low !== high && (
        <text x={PAD.left - 6} y={y(low) + 4} textAnchor="end">
          {showPrice(lowest.currency, lowest.minor_per_oz, lowest.date)}
        </text>
      )}
      <text x={PAD.left} y={HEIGHT - 8}>
        {first.date}
      </text>
      <text x={WIDTH - PAD.right} y={HEIGHT - 8} textAnchor="end">
        {last.date}
      </text>
      <polyline points={points} className="line" />
      {fixings.length <= 400 &&
        fixings.map((f) => (
          <circle key={f.date} cx={x(f.date)} cy={y(Number(f.minor_per_oz))} r={3}>
            <title>
              {f.date}: {showPrice(f.currency, f.minor_per_oz, f.date)} ({f.source})
            </title>
          </circle>
        ))}
    </svg>
  );
}
