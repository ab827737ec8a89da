// Turns the hub's answer to a create or update (400 field problems, 409 name taken, 422 provider refused)
// into what the forms show: an alert, and a message on each input concerned.
import { ApiRequestError, describeError, type FieldProblem } from '../../api.ts';
import { placeFieldProblems, type FieldErrors } from '../../components/schema-form/draft.ts';
import type { JsonSchema } from '../../components/schema-form/schema.ts';

export interface ProblemSummary {
  title: string;
  message: string;
  /** Problems that belong to no input of the form, listed in the alert. */
  problems: FieldProblem[];
}

export interface PlacedProblems {
  alert: ProblemSummary;
  name: string | undefined;
  config: FieldErrors;
  credentials: FieldErrors;
}

/** `details` of a connection_failed error: why the provider check failed and, when known, the field at fault. */
function connectionFailure(error: ApiRequestError): { reason: string; field: string | undefined } {
  const details = (error.details ?? {}) as { reason?: unknown; field?: unknown };
  return {
    reason: typeof details.reason === 'string' ? details.reason : 'unavailable',
    field: typeof details.field === 'string' ? details.field : undefined,
  };
}

const FAILURE_TITLES: Record<string, string> = {
  auth: 'The provider refused the credential',
  config: 'The provider did not accept these settings',
  unavailable: 'The provider could not be checked',
};

/** The hub writes each field problem into its message too; the inputs say those, so the alert need not. */
function messageWithoutFieldList(error: ApiRequestError): string {
  let message = error.message;
  for (const problem of error.fieldProblems) message = message.replace(`${problem.field}: ${problem.message}`, '');
  return message.replace(/(\s*;\s*)+$/, '').replace(/\s*;(\s*;)+/g, ';').trim();
}

export function placeConnectionError(
  error: unknown,
  schemas: { config: JsonSchema; credentials: JsonSchema },
  /** Credential fields the person filled in: the suspects when the provider refuses without naming one. */
  filledSecrets: readonly string[] = [],
): PlacedProblems {
  const placed: PlacedProblems = { alert: { title: 'Could not connect', message: describeError(error), problems: [] }, name: undefined, config: {}, credentials: {} };
  if (!(error instanceof ApiRequestError)) return placed;

  if (error.code === 'connection_failed') {
    const { reason, field } = connectionFailure(error);
    placed.alert = { title: FAILURE_TITLES[reason] ?? FAILURE_TITLES.unavailable!, message: error.message, problems: [] };
    const note = reason === 'auth' ? 'Refused by the provider.' : 'Check this value.';
    if (field?.startsWith('body.credentials.')) placed.credentials[field.slice('body.credentials.'.length)] = note;
    else if (field?.startsWith('body.config.')) placed.config[field.slice('body.config.'.length)] = note;
    else if (!field && reason === 'auth') for (const name of filledSecrets) placed.credentials[name] = note;
    return placed;
  }

  if (error.fieldProblems.length > 0) {
    const config = placeFieldProblems(schemas.config, error.fieldProblems, 'body.config.');
    const credentials = placeFieldProblems(schemas.credentials, config.unplaced, 'body.credentials.');
    const unplaced = credentials.unplaced.filter((problem) => {
      if (problem.field !== 'body.name') return true;
      placed.name = problem.message === 'is taken' ? 'Another integration already has this name.' : problem.message;
      return false;
    });
    placed.config = config.errors;
    placed.credentials = credentials.errors;
    placed.alert = {
      title: unplaced.length === error.fieldProblems.length ? 'Could not connect' : 'Check the highlighted fields',
      message: messageWithoutFieldList(error),
      problems: unplaced,
    };
  }
  return placed;
}
