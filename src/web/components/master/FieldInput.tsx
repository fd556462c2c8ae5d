import {
  ActionIcon,
  Button,
  ColorInput,
  Grid,
  Group,
  MultiSelect,
  NumberInput,
  Select,
  Stack,
  Switch,
  Table,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { FieldDef, FormValues, Option, RefSource } from './types';

export type FieldErrors = Record<string, string>;

interface Props {
  field: FieldDef;
  value: unknown;
  onChange: (value: unknown) => void;
  errors: FieldErrors;
  /** Error path prefix ("components.2.") for a field inside a rows field. */
  path: string;
  testid: string;
  disabled?: boolean;
  /** Inside a rows table: no label (the table header says it). */
  compact?: boolean;
}

const asString = (v: unknown): string => (v === null || v === undefined ? '' : String(v));

/** Options of a ref field: the server's answer to the typed text, plus the current value's label. */
function useRefOptions(ref: RefSource, search: string, current: string, currentLabel?: string): Option[] {
  const [debounced] = useDebouncedValue(search, 250);
  const param = ref.searchParam === undefined ? 'q' : ref.searchParam;
  const q = param ? debounced : '';
  const list = useQuery({
    queryKey: ['master-ref', ref.path, ref.query, q],
    queryFn: ({ signal }) =>
      api.get<{ items: Record<string, unknown>[] }>(
        ref.path,
        { ...ref.query, limit: param ? 50 : 500, ...(param && q ? { [param]: q } : {}) },
        signal,
      ),
    staleTime: 30_000,
  });
  return useMemo(() => {
    const idOf = ref.value ?? ((item: Record<string, unknown>) => String(item.id));
    const options = (list.data?.items ?? []).map((item) => ({ value: idOf(item), label: ref.label(item) }));
    if (current && !options.some((o) => o.value === current)) {
      options.unshift({ value: current, label: currentLabel ?? current });
    }
    return options;
  }, [list.data, ref, current, currentLabel]);
}

function RefInput({
  field,
  value,
  onChange,
  error,
  testid,
  label,
  disabled,
  labels,
}: {
  field: Extract<FieldDef, { kind: 'ref' }>;
  value: string;
  onChange: (v: string | null) => void;
  error?: string;
  testid: string;
  label?: string;
  disabled?: boolean;
  labels: Map<string, string>;
}) {
  const [search, setSearch] = useState('');
  const options = useRefOptions(field.ref, search, value, labels.get(value));
  for (const o of options) labels.set(o.value, o.label);
  return (
    <Select
      label={label}
      withAsterisk={field.required && Boolean(label)}
      data={options}
      value={value || null}
      onChange={(v) => onChange(v)}
      searchable
      searchValue={search}
      onSearchChange={setSearch}
      clearable={field.clearable ?? !field.required}
      nothingFoundMessage="—"
      error={error}
      disabled={disabled}
      data-testid={testid}
      comboboxProps={{ withinPortal: true }}
    />
  );
}

/** Labels of ref values seen so far (an id shows its name even when not in the current answer). */
const refLabels = new Map<string, string>();

/** Tells ref inputs the label of an id a record already names (a set's component "A-1 商品名"). */
export function rememberLabel(id: string, label: string): void {
  refLabels.set(id, label);
}

/** One input of a master form, by the field's kind; server problems show under it. */
export function FieldInput({ field, value, onChange, errors, path, testid, disabled, compact }: Props) {
  const { t } = useTranslation();
  const error = errors[`${path}${field.name}`];
  const label = compact ? undefined : field.label;
  const common = {
    label,
    description: compact ? undefined : field.description,
    withAsterisk: Boolean(field.required && label),
    error,
    disabled,
    'data-testid': testid,
    'aria-label': field.label,
    // The hint under the input: inputs of a row stay aligned whether or not they have one.
    inputWrapperOrder: ['label', 'input', 'description', 'error'] as ('label' | 'input' | 'description' | 'error')[],
  };
  switch (field.kind) {
    case 'text':
    case 'date':
      return (
        <TextInput
          {...common}
          type={field.kind === 'date' ? 'date' : 'text'}
          value={asString(value)}
          maxLength={field.maxLength}
          placeholder={field.placeholder}
          onChange={(e) => onChange(e.currentTarget.value)}
        />
      );
    case 'color':
      return (
        <ColorInput
          {...common}
          value={asString(value)}
          format="hex"
          onChange={(v) => onChange(v)}
          swatches={['#adb5bd', '#e8590c', '#f59f00', '#2f9e44', '#1c7ed6', '#7048e8', '#c2255c']}
        />
      );
    case 'textarea':
      return (
        <Textarea
          {...common}
          autosize
          minRows={3}
          maxRows={14}
          value={asString(value)}
          maxLength={field.maxLength}
          onChange={(e) => onChange(e.currentTarget.value)}
        />
      );
    case 'int':
    case 'yen':
      return (
        <NumberInput
          {...common}
          value={value === null || value === undefined ? '' : (value as number | string)}
          onChange={(v) => onChange(v === '' ? null : v)}
          min={field.min ?? 0}
          max={field.max}
          allowDecimal={false}
          allowNegative={(field.min ?? 0) < 0}
          thousandSeparator={field.kind === 'yen' ? ',' : undefined}
          prefix={field.kind === 'yen' ? '¥' : undefined}
          suffix={field.suffix}
          hideControls
          styles={{ input: { textAlign: 'right' } }}
        />
      );
    case 'select':
      return (
        <Select
          {...common}
          data={field.options}
          value={asString(value) || null}
          onChange={(v) => onChange(v ?? '')}
          clearable={field.clearable}
          comboboxProps={{ withinPortal: true }}
        />
      );
    case 'multiselect':
      return (
        <MultiSelect
          {...common}
          data={field.options}
          value={Array.isArray(value) ? (value as string[]) : []}
          onChange={onChange}
          searchable
          comboboxProps={{ withinPortal: true }}
        />
      );
    case 'bool':
      return (
        <Switch
          label={compact ? undefined : field.label}
          aria-label={field.label}
          checked={Boolean(value)}
          onChange={(e) => onChange(e.currentTarget.checked)}
          error={error}
          disabled={disabled}
          data-testid={testid}
          mt={compact ? 0 : 22}
        />
      );
    case 'ref':
      return (
        <RefInput
          field={field}
          value={asString(value)}
          onChange={(v) => onChange(v ?? '')}
          error={error}
          testid={testid}
          label={label}
          disabled={disabled}
          labels={refLabels}
        />
      );
    case 'rows': {
      const rows = Array.isArray(value) ? (value as FormValues[]) : [];
      const blank = Object.fromEntries(field.fields.map((f) => [f.name, f.kind === 'bool' ? false : '']));
      const set = (index: number, name: string, v: unknown) =>
        onChange(rows.map((row, i) => (i === index ? { ...row, [name]: v } : row)));
      const rowsError = errors[`${path}${field.name}`];
      return (
        <Stack gap={4}>
          <Group justify="space-between">
            <Text size="sm" fw={500}>
              {field.label}
            </Text>
            <Button
              variant="default"
              leftSection={<IconPlus size={14} />}
              onClick={() => onChange([...rows, blank])}
              disabled={disabled || (field.maxRows !== undefined && rows.length >= field.maxRows)}
              data-testid={`${testid}-add`}
            >
              {field.addLabel}
            </Button>
          </Group>
          {field.description ? (
            <Text size="xs" c="dimmed">
              {field.description}
            </Text>
          ) : null}
          {rows.length > 0 ? (
            <Table withTableBorder striped={false} data-testid={testid}>
              <Table.Thead>
                <Table.Tr>
                  {field.fields.map((f) => (
                    <Table.Th key={f.name}>{f.label}</Table.Th>
                  ))}
                  <Table.Th w={36} />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((row, index) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: rows have no id until saved; the index is their identity here
                  <Table.Tr key={index}>
                    {field.fields.map((f) => (
                      <Table.Td key={f.name}>
                        <FieldInput
                          field={f}
                          value={row[f.name]}
                          onChange={(v) => set(index, f.name, v)}
                          errors={errors}
                          path={`${path}${field.name}.${index}.`}
                          testid={`${testid}-${index}-${f.name}`}
                          disabled={disabled}
                          compact
                        />
                      </Table.Td>
                    ))}
                    <Table.Td>
                      <ActionIcon
                        color="red"
                        aria-label={t('master.removeRow')}
                        onClick={() => onChange(rows.filter((_, i) => i !== index))}
                        disabled={disabled}
                        data-testid={`${testid}-${index}-remove`}
                      >
                        <IconTrash size={14} />
                      </ActionIcon>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          ) : (
            <Text size="xs" c="dimmed">
              {t('master.noRows')}
            </Text>
          )}
          {rowsError ? (
            <Text size="xs" c="red">
              {rowsError}
            </Text>
          ) : null}
        </Stack>
      );
    }
  }
}

/** The fields of a form in a 12-column grid. */
export function FieldGrid({
  fields,
  values,
  setValue,
  errors,
  testid,
  isNew,
}: {
  fields: FieldDef[];
  values: FormValues;
  setValue: (name: string, value: unknown) => void;
  errors: FieldErrors;
  testid: string;
  isNew: boolean;
}) {
  return (
    <Grid gap="xs">
      {fields
        .filter((f) => !f.visible || f.visible(values))
        .map((f) => (
          <Grid.Col key={f.name} span={f.kind === 'rows' || f.kind === 'textarea' ? 12 : (f.span ?? 6)}>
            <FieldInput
              field={f}
              value={values[f.name]}
              onChange={(v) => setValue(f.name, v)}
              errors={errors}
              path=""
              testid={`${testid}-${f.name}`}
              disabled={Boolean(f.createOnly && !isNew)}
            />
          </Grid.Col>
        ))}
    </Grid>
  );
}
