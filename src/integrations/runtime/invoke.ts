// Runs a connector's connection check or one of its actions with validated input and output, turning
// every failure into a value the API can answer with (the provider's own words kept, secrets never).
import type { z } from 'zod';
import type { OutboundClient, OutboundOperation } from '../../platform/outbound/index.ts';
import type { CheckResult, ConnectorContext, ConnectorDefinition } from '../../connectors/sdk/define.ts';
import { credentialFields } from '../../connectors/sdk/credentials.ts';
import { ProviderError } from '../../connectors/sdk/provider-http.ts';
import { createProviderHttp, type CredentialSource } from './provider-http.ts';
import { scrub, secretValues } from './scrub.ts';

export interface InvocationTarget {
  outbound: OutboundClient;
  connector: ConnectorDefinition;
  /** Already validated by the connector's config schema. */
  config: unknown;
  credentials: CredentialSource;
  workspaceId: string;
  integrationId: string | null;
  signal?: AbortSignal;
  onOperation?: (operation: OutboundOperation, name: string) => void;
}

export type ActionOutcome =
  | { ok: true; output: unknown }
  | {
      ok: false;
      /** invalid_input: the caller's fault (400). provider_error: the provider refused or failed (502, or its 4xx). */
      kind: 'invalid_input' | 'provider_error' | 'invalid_output';
      message: string;
      status?: number;
      providerBody?: unknown;
      retryAfterMs?: number;
      issues?: z.core.$ZodIssue[];
    };

async function contextFor(target: InvocationTarget, operation: string): Promise<ConnectorContext<unknown>> {
  return {
    config: target.config,
    credentials: await target.credentials.current(),
    http: createProviderHttp({ ...target, operation }),
    signal: target.signal ?? new AbortController().signal,
    integrationId: target.integrationId,
    workspaceId: target.workspaceId,
  };
}

export async function checkConnection(target: InvocationTarget): Promise<CheckResult> {
  try {
    return await target.connector.checkConnection(await contextFor(target, 'check'));
  } catch (error) {
    if (error instanceof ProviderError) {
      const auth = error.status === 401 || error.status === 403;
      // A refused credential points at its first secret field, so a form can highlight something.
      const secretField = Object.entries(credentialFields(target.connector.auth)).find(([, field]) => field.secret !== false)?.[0];
      return {
        ok: false,
        reason: auth ? 'auth' : error.status && error.status < 500 && error.status !== 429 ? 'config' : 'unavailable',
        message: auth ? `The credential was rejected by ${target.connector.title}: ${error.message.replace(`${target.connector.title} answered `, '')}` : error.message,
        ...(auth && secretField ? { field: `credentials.${secretField}` } : {}),
      };
    }
    throw error;
  }
}

export async function runAction(target: InvocationTarget, actionName: string, input: unknown): Promise<ActionOutcome> {
  const action = target.connector.actions.find((candidate) => candidate.name === actionName);
  if (!action) return { ok: false, kind: 'invalid_input', message: `${target.connector.title} has no action "${actionName}".` };
  const parsedInput = action.input.safeParse(input ?? {});
  if (!parsedInput.success) {
    return { ok: false, kind: 'invalid_input', message: `Invalid input for ${action.name}.`, issues: parsedInput.error.issues };
  }
  let output: unknown;
  try {
    output = await action.run(await contextFor(target, `action:${action.name}`), parsedInput.data);
  } catch (error) {
    if (error instanceof ProviderError) {
      return {
        ok: false,
        kind: 'provider_error',
        message: error.message,
        ...(error.status !== undefined ? { status: error.status } : {}),
        ...(error.body !== undefined ? { providerBody: error.body } : {}),
        ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}),
      };
    }
    throw error;
  }
  // Some providers echo the credential in their answers (profile endpoints, error texts).
  const parsedOutput = action.output.safeParse(scrub(output, secretValues(target.connector.auth, await target.credentials.current())));
  if (!parsedOutput.success) {
    // The provider answered something its documentation does not describe: say so rather than pass it on.
    return { ok: false, kind: 'invalid_output', message: `${target.connector.title} answered in an unexpected shape for ${action.name}.`, issues: parsedOutput.error.issues };
  }
  return { ok: true, output: parsedOutput.data };
}
