// The credential vault's public surface: envelope encryption per workspace, master keyrings and rotation.
export { createVault, type CacheStats, type Plaintext, type Vault, type VaultOptions } from './vault.ts';
export {
  rotateMasterKey,
  type RotateMasterKeyOptions,
  type RotationFailure,
  type RotationProgress,
  type RotationResult,
} from './rotation.ts';
export {
  describeKeyring,
  ensureLocalMasterKey,
  fingerprintOf,
  generateMasterKey,
  keyringFromEnv,
  masterKey,
  validateKeyring,
  MASTER_KEY_FILE,
  type Keyring,
  type LocalMasterKey,
  type MasterKey,
} from './keyring.ts';
export {
  VaultDecryptError,
  VaultKeyringError,
  VAULT_DECRYPT_ERROR_CODES,
  VAULT_KEYRING_ERROR_CODES,
  type VaultDecryptErrorCode,
  type VaultKeyringErrorCode,
} from './errors.ts';
export { CIPHERTEXT_PREFIX } from './envelope.ts';
export { vaultDataKeys, vaultMasterKeys } from './tables.ts';
export { vaultMigrationSql, vaultMigrationStatements } from './migration.ts';
