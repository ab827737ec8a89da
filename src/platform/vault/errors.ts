// The vault's two error classes: a ciphertext that cannot be opened, and a keyring that cannot be used.
// Messages name key ids and workspaces, never plaintext, ciphertext or key bytes, so they are safe to log.

export const VAULT_DECRYPT_ERROR_CODES = {
  malformed_ciphertext: 'The value is not a vault ciphertext (wrong prefix, part count, encoding or lengths).',
  unknown_data_key: 'No data key has the id the ciphertext names (deleted with its workspace, or the id was altered).',
  wrong_workspace: 'The data key belongs to another workspace than the one asked for.',
  master_key_missing: 'The data key is wrapped by a master key that is not in this process\'s keyring.',
  master_key_mismatch: 'The keyring\'s key under that id did not open the wrapped data key: another key, or the wrapped key was altered.',
  authentication_failed: 'AES-GCM rejected the ciphertext: altered, moved to another workspace or field (aad), or not from this data key.',
  unexpected_kind: 'The ciphertext opened, but holds a string where an object was asked for, or the reverse.',
} as const;
export type VaultDecryptErrorCode = keyof typeof VAULT_DECRYPT_ERROR_CODES;

/** A ciphertext did not open. Never retried: the same input fails the same way. */
export class VaultDecryptError extends Error {
  override name = 'VaultDecryptError';
  readonly code: VaultDecryptErrorCode;
  readonly dataKeyId: string | undefined;
  readonly masterKeyId: string | undefined;

  constructor(
    code: VaultDecryptErrorCode,
    message: string,
    options: { dataKeyId?: string | undefined; masterKeyId?: string | undefined; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.dataKeyId = options.dataKeyId;
    this.masterKeyId = options.masterKeyId;
  }
}

export const VAULT_KEYRING_ERROR_CODES = {
  invalid_format: 'SWITCHBOARD_MASTER_KEY (or the key file) does not parse; the message says which entry and why.',
  fingerprint_mismatch: 'A master key id is registered in the database with a different key, or one key is listed under two ids.',
  master_key_retired: 'The keyring\'s active key was retired by a rotation: this process has an out-of-date SWITCHBOARD_MASTER_KEY.',
  master_key_missing: 'Data keys are wrapped by a master key the keyring lacks; rotation needs it as a previous key.',
} as const;
export type VaultKeyringErrorCode = keyof typeof VAULT_KEYRING_ERROR_CODES;

/** The master keys given to the vault cannot be used as they are: an operator has to change configuration. */
export class VaultKeyringError extends Error {
  override name = 'VaultKeyringError';
  readonly code: VaultKeyringErrorCode;

  constructor(code: VaultKeyringErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}
