// Where an endpoint's secrets live in the vault: the associated data binds each ciphertext to its endpoint,
// so a ciphertext copied to another endpoint's row does not open.

/** Current and previous signing secrets share it, so a rotation can move one column to the other as is. */
export function secretAad(endpointId: string): string {
  return `webhook-endpoint:${endpointId}:signing-secret`;
}

export function headersAad(endpointId: string): string {
  return `webhook-endpoint:${endpointId}:headers`;
}
