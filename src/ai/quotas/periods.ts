// Budget periods in UTC: the day and the month a moment belongs to, their counter keys, and when they reset.

export interface Period {
  kind: 'day' | 'month';
  /** The counter key: `day:2026-03-01`, `month:2026-03`. */
  key: string;
  start: Date;
  resetsAt: Date;
}

export function periodsAt(at: Date): { day: Period; month: Period } {
  const y = at.getUTCFullYear();
  const m = at.getUTCMonth();
  const d = at.getUTCDate();
  const dayStart = new Date(Date.UTC(y, m, d));
  const monthStart = new Date(Date.UTC(y, m, 1));
  return {
    day: { kind: 'day', key: `day:${dayStart.toISOString().slice(0, 10)}`, start: dayStart, resetsAt: new Date(Date.UTC(y, m, d + 1)) },
    month: { kind: 'month', key: `month:${monthStart.toISOString().slice(0, 7)}`, start: monthStart, resetsAt: new Date(Date.UTC(y, m + 1, 1)) },
  };
}
