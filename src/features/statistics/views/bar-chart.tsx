import type { Cell } from '../figures.ts';

/**
 * A bar chart as plain SVG, readable without JavaScript. It is labelled as one image (title and
 * description); the table beside it carries the same numbers for screen readers and for copying.
 * Hidden cells (fewer than five cases) are not drawn and are named in the description.
 */
interface BarChartProps {
  id: string;
  title: string;
  cells: Cell[];
  /** Vertical bars for a time series, horizontal bars for categories. */
  orientation: 'vertical' | 'horizontal';
  label?: (key: string) => string;
}

// Blue on white: 7.4:1, well above the 3:1 that WCAG 1.4.11 asks of graphical objects.
const BAR = '#1d4f91';
const TEXT = '#1b1b1b';

export function BarChart({ id, title, cells, orientation, label = (k) => k }: BarChartProps) {
  const shown = cells.filter((c): c is { key: string; n: number } => c.n !== null);
  const max = Math.max(1, ...shown.map((c) => c.n));
  const hidden = cells.length - shown.length;
  const desc = `${shown.map((c) => `${label(c.key)}: ${c.n}`).join(', ')}${hidden > 0 ? `; ${hidden} Werte mit weniger als fünf Meldungen nicht gezeigt` : ''}.`;
  return orientation === 'vertical' ? (
    <VerticalBars id={id} title={title} desc={desc} cells={cells} max={max} label={label} />
  ) : (
    <HorizontalBars id={id} title={title} desc={desc} cells={shown} max={max} label={label} />
  );
}

interface DrawProps {
  id: string;
  title: string;
  desc: string;
  max: number;
  label: (key: string) => string;
}

function VerticalBars({ id, title, desc, cells, max, label }: DrawProps & { cells: Cell[] }) {
  const width = 720;
  const height = 240;
  const top = 24;
  const bottom = 40;
  const slot = width / Math.max(1, cells.length);
  const barWidth = Math.max(8, slot * 0.6);
  const scale = (n: number) => ((height - top - bottom) * n) / max;
  return (
    <svg class="stat-chart" viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby={`${id}-t ${id}-d`}>
      <title id={`${id}-t`}>{title}</title>
      <desc id={`${id}-d`}>{desc}</desc>
      <line x1="0" y1={height - bottom} x2={width} y2={height - bottom} stroke={TEXT} stroke-width="1" />
      {cells.map((c, i) => {
        const x = i * slot + (slot - barWidth) / 2;
        const h = c.n === null ? 0 : scale(c.n);
        return (
          <g key={c.key}>
            {c.n !== null && <rect x={x} y={height - bottom - h} width={barWidth} height={h} fill={BAR} />}
            <text x={x + barWidth / 2} y={height - bottom - h - 6} text-anchor="middle" font-size="13" fill={TEXT}>
              {c.n === null ? '–' : c.n}
            </text>
            <text x={x + barWidth / 2} y={height - bottom + 18} text-anchor="middle" font-size="12" fill={TEXT}>
              {label(c.key)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

function HorizontalBars({ id, title, desc, cells, max, label }: DrawProps & { cells: Array<{ key: string; n: number }> }) {
  const width = 720;
  const row = 28;
  const labelWidth = 260;
  const height = Math.max(row, cells.length * row) + 8;
  const scale = (n: number) => ((width - labelWidth - 60) * n) / max;
  return (
    <svg class="stat-chart" viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby={`${id}-t ${id}-d`}>
      <title id={`${id}-t`}>{title}</title>
      <desc id={`${id}-d`}>{desc}</desc>
      {cells.map((c, i) => {
        const y = i * row + 4;
        return (
          <g key={c.key}>
            <text x={labelWidth - 8} y={y + row / 2 + 4} text-anchor="end" font-size="13" fill={TEXT}>
              {truncate(label(c.key), 34)}
            </text>
            <rect x={labelWidth} y={y + 4} width={scale(c.n)} height={row - 10} fill={BAR} />
            <text x={labelWidth + scale(c.n) + 6} y={y + row / 2 + 4} font-size="13" fill={TEXT}>
              {c.n}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
