// When a sync runs next: its frequency is a 5-field cron expression (UTC) or `every <n>m|h|d`.
// cron-parser (already pg-boss's own cron reader, so one dialect of cron in the hub) computes cron times.
import { CronExpressionParser } from 'cron-parser';

const EVERY = /^every (\d+)(m|h|d)$/;
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** Why a frequency cannot be used, or null when it can. */
export function frequencyProblem(frequency: string): string | null {
  const every = EVERY.exec(frequency);
  if (every) {
    const ms = Number(every[1]) * UNIT_MS[every[2] as keyof typeof UNIT_MS];
    if (ms < 60_000) return 'must be at least every 1m';
    if (ms > 366 * 86_400_000) return 'must be at most every 366d';
    return null;
  }
  if (frequency.trim().split(/\s+/).length !== 5) return 'must be a 5-field cron expression (UTC), e.g. "0 * * * *", or "every <n>m|h|d", e.g. "every 1h"';
  try {
    CronExpressionParser.parse(frequency, { tz: 'UTC' });
    return null;
  } catch (error) {
    return `is not a valid cron expression: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/** The first time after `from` the frequency calls for. */
export function nextRunAfter(frequency: string, from: Date): Date {
  const every = EVERY.exec(frequency);
  if (every) return new Date(from.getTime() + Number(every[1]) * UNIT_MS[every[2] as keyof typeof UNIT_MS]);
  return CronExpressionParser.parse(frequency, { currentDate: from, tz: 'UTC' }).next().toDate();
}
