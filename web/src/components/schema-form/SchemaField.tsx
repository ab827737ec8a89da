// One input of a schema form, chosen by the property's JSON Schema (see fieldKind for the mapping).
import {
  Fieldset,
  JsonInput,
  MultiSelect,
  NumberInput,
  PasswordInput,
  Select,
  Stack,
  Switch,
  TagsInput,
  Text,
  TextInput,
} from '@mantine/core';
import type { Draft, DraftValue, FieldErrors, RecordEntry } from './draft.ts';
import { KeyValueField } from './KeyValueField.tsx';
import { fieldKind, fieldLabelOf, isRequired, lowerBound, propertiesOf, upperBound, type JsonSchema } from './schema.ts';

export interface SchemaFieldProps {
  /** The property's name in its object. */
  name: string;
  schema: JsonSchema;
  required: boolean;
  /** Dotted path from the form's root: the key of this field's error and the input's id. */
  path: string;
  depth: number;
  value: DraftValue | undefined;
  onChange: (value: DraftValue) => void;
  errors: FieldErrors;
  idPrefix: string;
  disabled?: boolean | undefined;
  /** Shown in empty inputs, e.g. the masked value a secret has now ("••••1234"). */
  placeholders?: Record<string, string> | undefined;
}

function exampleOf(schema: JsonSchema): string | undefined {
  if (schema.format === 'uri' || schema.format === 'url') return 'https://…';
  return undefined;
}

export function SchemaField(props: SchemaFieldProps) {
  const { name, schema, required, path, depth, value, onChange, errors, idPrefix, disabled, placeholders } = props;
  const kind = fieldKind(schema, depth);
  const label = fieldLabelOf(name, schema);
  const id = `${idPrefix}-${path}`;
  const common = {
    id,
    name: path,
    label,
    description: schema.description,
    error: errors[path],
    withAsterisk: required,
    disabled,
    'data-field': path,
  };
  const placeholder = placeholders?.[path] ?? exampleOf(schema);

  switch (kind) {
    case 'text':
    case 'url':
    case 'email':
      return (
        <TextInput
          {...common}
          type={kind === 'text' ? 'text' : kind}
          placeholder={placeholder}
          spellCheck={kind === 'text' ? undefined : false}
          autoComplete="off"
          value={typeof value === 'string' ? value : ''}
          onChange={(event) => onChange(event.currentTarget.value)}
        />
      );
    case 'secret':
      return (
        <PasswordInput
          {...common}
          placeholder={placeholder}
          // A saved browser password must never be offered for a provider's key.
          autoComplete="new-password"
          // Mantine marks a PasswordInput's error only with data-invalid; screen readers need aria-invalid.
          aria-invalid={errors[path] ? true : undefined}
          spellCheck={false}
          value={typeof value === 'string' ? value : ''}
          onChange={(event) => onChange(event.currentTarget.value)}
        />
      );
    case 'select': {
      const options = (schema.enum ?? []).map(String);
      return (
        <Select
          {...common}
          data={options}
          placeholder={placeholder ?? 'Choose…'}
          allowDeselect={!required && schema.default === undefined}
          clearable={!required && schema.default === undefined}
          checkIconPosition="right"
          value={typeof value === 'string' && value !== '' ? value : null}
          onChange={(next) => onChange(next ?? '')}
        />
      );
    }
    case 'number':
    case 'integer':
      return (
        <NumberInput
          {...common}
          placeholder={placeholder}
          min={lowerBound(schema, kind === 'integer')}
          max={upperBound(schema, kind === 'integer')}
          allowDecimal={kind === 'number'}
          value={typeof value === 'number' ? value : ''}
          onChange={(next) => onChange(typeof next === 'number' ? next : next === '' ? '' : Number(next))}
        />
      );
    case 'boolean':
      return (
        <Switch
          id={id}
          name={path}
          label={label}
          description={schema.description}
          error={errors[path]}
          disabled={disabled}
          data-field={path}
          checked={value === true}
          onChange={(event) => onChange(event.currentTarget.checked)}
        />
      );
    case 'tags':
      return (
        <TagsInput
          {...common}
          placeholder={placeholder ?? 'Type and press Enter'}
          value={Array.isArray(value) ? (value as string[]) : []}
          onChange={onChange}
          // Pasting "a, b, c" should make three values.
          splitChars={[',', 'Enter']}
          clearable
        />
      );
    case 'multiselect':
      return (
        <MultiSelect
          {...common}
          data={(schema.items?.enum ?? []).map(String)}
          placeholder={placeholder ?? 'Choose…'}
          value={Array.isArray(value) ? (value as string[]) : []}
          onChange={onChange}
          clearable
        />
      );
    case 'record':
      return (
        <KeyValueField
          id={id}
          label={label}
          description={schema.description}
          error={errors[path]}
          required={required}
          disabled={disabled}
          entries={Array.isArray(value) ? (value as RecordEntry[]) : []}
          onChange={onChange}
        />
      );
    case 'object': {
      const draft = (value && typeof value === 'object' && !Array.isArray(value) ? value : {}) as Draft;
      return (
        <Fieldset legend={required ? `${label} *` : label} variant="filled" radius="md" disabled={disabled} data-field={path}>
          <Stack gap="sm">
            {schema.description && (
              <Text size="xs" c="dimmed" mt={-4}>
                {schema.description}
              </Text>
            )}
            {propertiesOf(schema).map(([key, property]) => (
              <SchemaField
                key={key}
                name={key}
                schema={property}
                required={isRequired(schema, key)}
                path={`${path}.${key}`}
                depth={depth + 1}
                value={draft[key]}
                onChange={(next) => onChange({ ...draft, [key]: next })}
                errors={errors}
                idPrefix={idPrefix}
                disabled={disabled}
                placeholders={placeholders}
              />
            ))}
          </Stack>
        </Fieldset>
      );
    }
    case 'json':
      return (
        <JsonInput
          {...common}
          description={schema.description ?? 'Any JSON value: an object, a list, "text", a number, true or false.'}
          placeholder={placeholder ?? '{ }'}
          formatOnBlur
          autosize
          minRows={3}
          maxRows={14}
          spellCheck={false}
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 13 } }}
          value={typeof value === 'string' ? value : ''}
          onChange={onChange}
        />
      );
  }
}
