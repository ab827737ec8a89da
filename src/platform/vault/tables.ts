// The vault's tables: which master keys exist (never the keys themselves) and each workspace's data keys,
// stored wrapped. Secrets are not here: callers keep the vault's ciphertext strings in their own tables.
import { sql } from 'drizzle-orm';
import { index, integer, pgTable, text, timestamp, unique, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { workspaces } from '../db/schema.ts';

export const MASTER_KEY_STATES = ['active', 'retiring', 'retired'] as const;
export type MasterKeyState = (typeof MASTER_KEY_STATES)[number];

export const DATA_KEY_STATES = ['active', 'retired'] as const;
export type DataKeyState = (typeof DATA_KEY_STATES)[number];

export const vaultMasterKeys = pgTable('vault_master_keys', {
  /** The id the operator gave the key in SWITCHBOARD_MASTER_KEY (or one derived from its fingerprint). */
  id: text('id').primaryKey(),
  /**
   * HMAC-SHA-256 of a fixed label under the key: tells a key from another one with the same id, and
   * reveals nothing about a random 256-bit key. Unique, so one key cannot hide under two ids.
   */
  fingerprint: text('fingerprint').notNull().unique(),
  /**
   * active: wraps new data keys. retiring: replaced, but may still wrap data keys until rotation ends.
   * retired: wraps nothing; a process still configured with it as active cannot create data keys.
   */
  state: text('state', { enum: MASTER_KEY_STATES }).notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  retiredAt: timestamp('retired_at', { withTimezone: true }),
});

export const vaultDataKeys = pgTable(
  'vault_data_keys',
  {
    id: uuid('id').primaryKey(),
    // Deleting a workspace deletes its data keys, which makes its leftover ciphertexts unreadable.
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    /** 1, 2, 3… per workspace; `rotateDataKey` starts the next one. */
    version: integer('version').notNull(),
    /** active: used for new encryptions (one per workspace). retired: only opens older ciphertexts. */
    state: text('state', { enum: DATA_KEY_STATES }).notNull(),
    /** Which master key wraps this data key now; rotation changes it together with wrapped_key. */
    masterKeyId: text('master_key_id')
      .notNull()
      .references(() => vaultMasterKeys.id),
    /** AES-256-GCM of the 32-byte data key under the master key: `w1.<iv>.<tag>.<ciphertext>`, base64url. */
    wrappedKey: text('wrapped_key').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** When a master-key rotation last re-wrapped it. */
    rewrappedAt: timestamp('rewrapped_at', { withTimezone: true }),
  },
  (t) => [
    unique('vault_data_keys_workspace_version_unique').on(t.workspaceId, t.version),
    // Two processes creating a workspace's first key at once: one insert wins, the other reads it.
    uniqueIndex('vault_data_keys_one_active_idx')
      .on(t.workspaceId)
      .where(sql`${t.state} = 'active'`),
    // Rotation looks for the data keys not yet under the active master key, and counts what is left.
    index('vault_data_keys_master_key_idx').on(t.masterKeyId),
  ],
);
