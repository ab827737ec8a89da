// A form generated from an object's JSON Schema: one input per property, in the schema's order.
// Pair it with initialDraft / readDraft / placeFieldProblems from draft.ts.
import { useState } from 'react';
import { Button, Collapse, Stack, Text } from '@mantine/core';
import type { Draft, FieldErrors } from './draft.ts';
import { SchemaField } from './SchemaField.tsx';
import { fieldKind, isRequired, propertiesOf, type JsonSchema } from './schema.ts';

/**
 * Optional fields that already hold a sensible default (a header name, a page size) rarely need a look;
 * choices (selects, switches) stay in view because they change what the other fields mean.
 */
function isTuning(parent: JsonSchema, key: string, property: JsonSchema): boolean {
  const kind = fieldKind(property);
  return !isRequired(parent, key) && property.default !== undefined && kind !== 'select' && kind !== 'boolean';
}

export function SchemaForm({
  schema,
  value,
  onChange,
  errors = {},
  idPrefix,
  disabled,
  placeholders,
  emptyText,
  collapseDefaults = false,
}: {
  schema: JsonSchema;
  value: Draft;
  onChange: (value: Draft) => void;
  errors?: FieldErrors;
  /** Makes input ids unique when two forms share a page (settings and credentials, say). */
  idPrefix: string;
  disabled?: boolean;
  placeholders?: Record<string, string>;
  /** Said when the schema has no properties; nothing is drawn when unset. */
  emptyText?: string;
  /** Put optional fields with defaults behind a "More options" toggle (opened by itself when one has an error). */
  collapseDefaults?: boolean;
}) {
  const [showMore, setShowMore] = useState(false);
  const properties = propertiesOf(schema);
  if (properties.length === 0) {
    return emptyText ? (
      <Text size="sm" c="dimmed">
        {emptyText}
      </Text>
    ) : null;
  }
  const tuning = collapseDefaults ? properties.filter(([key, property]) => isTuning(schema, key, property)) : [];
  const main = properties.filter((entry) => !tuning.includes(entry));
  const tuningHasError = tuning.some(([key]) => Object.keys(errors).some((path) => path === key || path.startsWith(`${key}.`)));
  const field = ([key, property]: [string, JsonSchema]) => (
    <SchemaField
      key={key}
      name={key}
      schema={property}
      required={isRequired(schema, key)}
      path={key}
      depth={0}
      value={value[key]}
      onChange={(next) => onChange({ ...value, [key]: next })}
      errors={errors}
      idPrefix={idPrefix}
      disabled={disabled}
      placeholders={placeholders}
    />
  );
  const open = showMore || tuningHasError;
  return (
    <Stack gap="md">
      {main.map(field)}
      {tuning.length > 0 && (
        <>
          <div>
            <Button
              variant="subtle"
              size="compact-sm"
              color="gray"
              onClick={() => setShowMore(!open)}
              disabled={tuningHasError}
              aria-expanded={open}
              rightSection={<span aria-hidden="true">{open ? '▴' : '▾'}</span>}
            >
              {open ? 'Fewer options' : `More options (${tuning.length})`}
            </Button>
          </div>
          <Collapse expanded={open}>
            <Stack gap="md">{tuning.map(field)}</Stack>
          </Collapse>
        </>
      )}
    </Stack>
  );
}
