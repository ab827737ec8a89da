// The AI router's tables: routes per workspace and task type, quota settings and their counters, the
// usage ledger (one row per attempt) and its daily rollups.
import { bigint, boolean, date, index, integer, jsonb, numeric, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { workspaces } from '../platform/db/schema.ts';

export interface RouteTargetRow {
  /** The AI provider (its connector id): glm, openai, anthropic, mistral. */
  provider: string;
  /** The provider's model for this target (the route's per-target model mapping). */
  model: string;
  /** A specific integration of that provider; default: the workspace's first connected one. */
  integrationId?: string;
  /** Relative share of first attempts; targets without a weight are tried in order after weighted ones. */
  weight?: number;
}

/** A fallback chain for one task type of a workspace (`default` serves every task type without its own). */
export const aiRoutes = pgTable(
  'ai_routes',
  {
    id: uuid('id').primaryKey(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    /** The task type this route serves, and its name in `model: "route:<name>"`. */
    name: text('name').notNull(),
    kind: text('kind', { enum: ['chat', 'embeddings', 'images'] }).notNull(),
    targets: jsonb('targets').$type<RouteTargetRow[]>().notNull(),
    /** Whole call, all attempts and fallbacks included. */
    timeoutMs: integer('timeout_ms').notNull(),
    /** One attempt that is not streamed (a whole answer) may take this long before the next target is tried. */
    attemptTimeoutMs: integer('attempt_timeout_ms').notNull(),
    /** A stream whose first token takes longer moves on to the next target. */
    firstTokenTimeoutMs: integer('first_token_timeout_ms').notNull(),
    /** Extra attempts on the same target after a 5xx, timeout or broken answer, before falling back. */
    retries: integer('retries').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('ai_routes_workspace_name_idx').on(t.workspaceId, t.name)],
);

/** Hard limits of a workspace; null means unlimited. Costs are micro-USD (prices in CNY are converted). */
export const aiQuotas = pgTable('ai_quotas', {
  workspaceId: uuid('workspace_id')
    .primaryKey()
    .references(() => workspaces.id, { onDelete: 'cascade' }),
  dailyTokens: bigint('daily_tokens', { mode: 'number' }),
  monthlyTokens: bigint('monthly_tokens', { mode: 'number' }),
  dailyCostMicros: bigint('daily_cost_micros', { mode: 'number' }),
  monthlyCostMicros: bigint('monthly_cost_micros', { mode: 'number' }),
  requestsPerMinute: integer('requests_per_minute'),
  tokensPerMinute: integer('tokens_per_minute'),
  /** Percentage of a limit at which `ai.quota.warning` is emitted (once per period). */
  warnPercent: integer('warn_percent').notNull().default(80),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Consumption of one budget period (`day:2026-03-01`, `month:2026-03`): settled usage plus what in-flight
 * calls have reserved. A reservation is one conditional UPDATE, so concurrent calls cannot overspend.
 */
export const aiBudgetCounters = pgTable(
  'ai_budget_counters',
  {
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    period: text('period').notNull(),
    usedTokens: bigint('used_tokens', { mode: 'number' }).notNull().default(0),
    reservedTokens: bigint('reserved_tokens', { mode: 'number' }).notNull().default(0),
    usedCostMicros: bigint('used_cost_micros', { mode: 'number' }).notNull().default(0),
    reservedCostMicros: bigint('reserved_cost_micros', { mode: 'number' }).notNull().default(0),
    /** Events of this period already emitted (`warning:cost.daily`, `exceeded:tokens.monthly`), so each is sent once. */
    notified: jsonb('notified').$type<string[]>().notNull().default([]),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.period] })],
);

/** The usage ledger: one row per attempt, fallbacks and failures included. */
export const aiUsage = pgTable(
  'ai_usage',
  {
    id: uuid('id').primaryKey(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    /** Groups the attempts of one call (the hub's request id). */
    requestId: text('request_id').notNull(),
    attempt: integer('attempt').notNull(),
    route: text('route').notNull(),
    taskType: text('task_type').notNull(),
    kind: text('kind', { enum: ['chat', 'embeddings', 'images'] }).notNull(),
    provider: text('provider').notNull(),
    model: text('model').notNull(),
    integrationId: uuid('integration_id'),
    streamed: boolean('streamed').notNull().default(false),
    inputTokens: integer('input_tokens').notNull().default(0),
    outputTokens: integer('output_tokens').notNull().default(0),
    cachedTokens: integer('cached_tokens').notNull().default(0),
    reasoningTokens: integer('reasoning_tokens').notNull().default(0),
    images: integer('images').notNull().default(0),
    /** In `currency`; null when the price table has no price for the model (reported, never zero). */
    cost: numeric('cost', { precision: 18, scale: 8, mode: 'number' }),
    currency: text('currency'),
    /** The same cost in USD, for budgets and cross-currency totals. */
    costUsd: numeric('cost_usd', { precision: 18, scale: 8, mode: 'number' }),
    priceVersion: text('price_version'),
    latencyMs: integer('latency_ms').notNull(),
    firstTokenMs: integer('first_token_ms'),
    success: boolean('success').notNull(),
    /** A stream that broke after its first token: the tokens are what arrived (or an estimate). */
    incomplete: boolean('incomplete').notNull().default(false),
    /** Usage estimated by the hub because the provider reported none. */
    estimated: boolean('estimated').notNull().default(false),
    errorClass: text('error_class'),
    errorMessage: text('error_message'),
    /** Why this attempt was made on this target instead of an earlier one (`glm:rate_limited`). */
    fallbackReason: text('fallback_reason'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('ai_usage_workspace_created_idx').on(t.workspaceId, t.createdAt),
    index('ai_usage_created_idx').on(t.createdAt),
  ],
);

/** Per-day totals of the ledger, computed once a day is over, so dashboards read few rows. */
export const aiUsageDaily = pgTable(
  'ai_usage_daily',
  {
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    day: date('day', { mode: 'string' }).notNull(),
    provider: text('provider').notNull(),
    model: text('model').notNull(),
    taskType: text('task_type').notNull(),
    /** '' when the rows had no price. */
    currency: text('currency').notNull(),
    attempts: integer('attempts').notNull(),
    failures: integer('failures').notNull(),
    inputTokens: bigint('input_tokens', { mode: 'number' }).notNull(),
    outputTokens: bigint('output_tokens', { mode: 'number' }).notNull(),
    cachedTokens: bigint('cached_tokens', { mode: 'number' }).notNull(),
    reasoningTokens: bigint('reasoning_tokens', { mode: 'number' }).notNull(),
    cost: numeric('cost', { precision: 18, scale: 8, mode: 'number' }).notNull(),
    costUsd: numeric('cost_usd', { precision: 18, scale: 8, mode: 'number' }).notNull(),
    /** Attempts whose model had no price: their cost is not in `cost`. */
    unpriced: integer('unpriced').notNull(),
    latencyMsSum: bigint('latency_ms_sum', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.day, t.provider, t.model, t.taskType, t.currency] })],
);

/** Days whose rollup is done: reads use `ai_usage_daily` for them and the raw ledger for the rest. */
export const aiRollupDays = pgTable('ai_rollup_days', {
  day: date('day', { mode: 'string' }).primaryKey(),
  rolledAt: timestamp('rolled_at', { withTimezone: true }).notNull().defaultNow(),
});
