// A horizontal bar chart of usage rows (cost, tokens or attempts), drawn as plain SVG: one bar per group.
import { Text } from '@mantine/core';
import type { Usage } from './api.ts';

export type ChartMetric = 'costUsd' | 'tokens' | 'attempts';
type Row = Usage['items'][number];

const ROW_HEIGHT = 28;
const LABEL_WIDTH = 200;
const WIDTH = 760;

export function valueOf(row: Row, metric: ChartMetric): number {
  return metric === 'tokens' ? row.inputTokens + row.outputTokens : metric === 'attempts' ? row.attempts : row.costUsd;
}

export function formatMetric(value: number, metric: ChartMetric): string {
  if (metric === 'costUsd') return value === 0 ? '$0' : value < 0.01 ? `$${value.toPrecision(2)}` : `$${value.toFixed(2)}`;
  return value.toLocaleString();
}

export function UsageChart({ rows, metric, label }: { rows: Row[]; metric: ChartMetric; label: string }) {
  if (rows.length === 0) return <Text c="dimmed">No usage in this range yet.</Text>;
  const max = Math.max(...rows.map((row) => valueOf(row, metric)), Number.MIN_VALUE);
  const barSpace = WIDTH - LABEL_WIDTH - 110;
  return (
    <svg role="img" aria-label={label} width="100%" viewBox={`0 0 ${WIDTH} ${rows.length * ROW_HEIGHT + 8}`} style={{ maxWidth: WIDTH }}>
      {rows.map((row, index) => {
        const value = valueOf(row, metric);
        const y = index * ROW_HEIGHT + 4;
        const width = Math.max(2, (value / max) * barSpace);
        return (
          <g key={row.key} data-testid={`usage-bar-${row.key}`} aria-label={`${row.key}: ${formatMetric(value, metric)}`}>
            <text x={LABEL_WIDTH - 8} y={y + 17} textAnchor="end" fontSize="13" fill="var(--mantine-color-gray-8)">
              {row.key}
            </text>
            <rect x={LABEL_WIDTH} y={y + 4} width={width} height={ROW_HEIGHT - 10} rx={3} fill={row.failures > 0 && row.failures === row.attempts ? 'var(--mantine-color-red-5)' : 'var(--mantine-color-blue-6)'} />
            <text x={LABEL_WIDTH + width + 6} y={y + 17} fontSize="12" fill="var(--mantine-color-gray-7)">
              {formatMetric(value, metric)}
              {row.unpriced > 0 && metric === 'costUsd' ? ` (+${row.unpriced} unpriced)` : ''}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
