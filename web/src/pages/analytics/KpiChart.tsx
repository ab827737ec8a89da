// One KPI over time as a line chart (@mantine/charts on recharts): one line for the total, or one per
// integration or per dimension value (source/medium, campaign) depending on the grouping.
// Why @mantine/charts: it is Mantine's own (same theme colours, tooltips and legend as the rest of the
// dashboard, same version line as @mantine/core) over recharts, the most used React chart library; a
// hand-drawn SVG like the AI usage bars would have to re-implement time axes, tooltips and legends.
import { LineChart } from '@mantine/charts';
import { Badge, Group, Paper, Text } from '@mantine/core';
import type { Integration, KpiGroupBy, KpiPoint } from '../../api.ts';

const COLORS = ['blue.6', 'teal.6', 'orange.6', 'grape.6', 'red.6', 'cyan.6', 'lime.7', 'pink.6'];
// More lines than this are unreadable; the largest ones are drawn and the rest named as left out.
const MAX_SERIES = COLORS.length;

function seriesName(point: KpiPoint, groupBy: KpiGroupBy, integrations: Map<string, Integration>): string {
  if (groupBy === 'integration') return point.integrationId ? (integrations.get(point.integrationId)?.name ?? point.integrationId.slice(0, 8)) : 'unknown';
  if (groupBy === 'dimension') return Object.entries(point.dimensions).map(([key, value]) => `${key}=${value}`).join(', ') || 'total';
  return point.metric;
}

export function formatKpiValue(value: number, unit: string): string {
  if (unit === 'ratio') return value.toLocaleString(undefined, { maximumFractionDigits: 4 });
  if (/^[A-Z]{3}$/.test(unit)) {
    try {
      return value.toLocaleString(undefined, { style: 'currency', currency: unit, maximumFractionDigits: 2 });
    } catch {
      // An unknown currency code: fall through to the plain number.
    }
  }
  return value.toLocaleString(undefined, { maximumFractionDigits: 2 });
}

/** Every day of the range, so days without a value show as gaps on a true time axis rather than being skipped. */
function daysOf(from: string, to: string): string[] {
  const days: string[] = [];
  const last = Date.parse(`${to}T00:00:00Z`);
  // A year of days at most: a wider range is drawn from the points alone.
  for (let time = Date.parse(`${from}T00:00:00Z`); time <= last && days.length <= 366; time += 86_400_000) days.push(new Date(time).toISOString().slice(0, 10));
  return days.length > 366 ? [] : days;
}

export function KpiChart({
  metric,
  points,
  groupBy,
  range,
  integrations,
}: {
  metric: string;
  points: KpiPoint[];
  groupBy: KpiGroupBy;
  range: { from: string; to: string } | null;
  integrations: Map<string, Integration>;
}) {
  const unit = points[0]?.unit ?? '';
  const totals = new Map<string, number>();
  for (const point of points) {
    const name = seriesName(point, groupBy, integrations);
    totals.set(name, (totals.get(name) ?? 0) + Math.abs(point.value));
  }
  const names = [...totals.entries()].sort((a, b) => b[1] - a[1]).map(([name]) => name);
  const shown = names.slice(0, MAX_SERIES);
  const byDate = new Map<string, Record<string, number | string>>();
  if (points.length > 0 && range && groupBy !== 'week' && groupBy !== 'month') {
    for (const day of daysOf(range.from, range.to)) byDate.set(day, { date: day });
  }
  for (const point of points) {
    const name = seriesName(point, groupBy, integrations);
    if (!shown.includes(name) || !point.date) continue;
    const row = byDate.get(point.date) ?? { date: point.date };
    row[name] = point.value;
    byDate.set(point.date, row);
  }
  const data = [...byDate.values()].sort((a, b) => String(a.date).localeCompare(String(b.date)));
  const latest = groupBy === 'day' || groupBy === 'week' || groupBy === 'month' ? points.at(-1) : undefined;

  return (
    <Paper withBorder radius="md" p="lg" component="section" aria-label={`KPI ${metric}`} data-testid={`kpi-chart-${metric}`} data-points={points.length}>
      <Group justify="space-between" mb="sm">
        <Group gap="xs">
          <Text fw={600} ff="monospace">
            {metric}
          </Text>
          {unit && (
            <Badge variant="default" size="sm" tt="none">
              {unit}
            </Badge>
          )}
        </Group>
        {latest && (
          <Text size="sm" c="dimmed" data-testid="kpi-latest">
            {latest.date}: <b>{formatKpiValue(latest.value, unit)}</b>
          </Text>
        )}
      </Group>
      {data.length === 0 ? (
        <Text size="sm" c="dimmed" py="lg" data-testid="kpi-empty">
          No values for {metric} in this range. Syncs that record it (Google Analytics 4, Meta Ads, YouTube, Instagram) or Resend's delivery
          webhooks fill it.
        </Text>
      ) : (
        <>
          <LineChart
            data-testid="kpi-chart-body"
            data-series={shown.join('|')}
            h={240}
            data={data}
            dataKey="date"
            series={shown.map((name, index) => ({ name, color: COLORS[index % COLORS.length]! }))}
            curveType="linear"
            withLegend={shown.length > 1}
            connectNulls={false}
            valueFormatter={(value) => formatKpiValue(value, unit)}
          />
          {names.length > shown.length && (
            <Text size="xs" c="dimmed" mt={4}>
              {names.length - shown.length} smaller series not drawn.
            </Text>
          )}
        </>
      )}
    </Paper>
  );
}
