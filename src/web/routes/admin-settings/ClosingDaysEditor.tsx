import { ActionIcon, Button, Group, Table, Text, TextInput } from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import type { FieldErrors, UseFieldArrayReturn, UseFormRegister } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { formatDate } from '../../lib/datetime';
import type { SettingsValues } from './SettingsPage';

interface Props {
  fields: UseFieldArrayReturn<SettingsValues, 'closingDays'>;
  register: UseFormRegister<SettingsValues>;
  errors: FieldErrors<SettingsValues>['closingDays'];
}

/** Closing days kept in date order; changes are saved with the page (F1). */
export function ClosingDaysEditor({ fields, register, errors }: Props) {
  const { t, i18n } = useTranslation();
  const [date, setDate] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const [addError, setAddError] = useState<string | null>(null);
  const existing = new Set(fields.fields.map((field) => field.date));

  const add = () => {
    if (!date) {
      setAddError(t('validation.required'));
      return;
    }
    if (existing.has(date)) {
      setAddError(t('settings.duplicate'));
      return;
    }
    const index = fields.fields.findIndex((field) => field.date > date);
    const row = { date, note: note.trim() };
    if (index === -1) fields.append(row, { shouldFocus: false });
    else fields.insert(index, row, { shouldFocus: false });
    setDate(null);
    setNote('');
    setAddError(null);
  };

  return (
    <>
      <Group gap={6} align="flex-start" mb={6} wrap="nowrap">
        <DatePickerInput
          aria-label={t('settings.date')}
          placeholder={t('settings.date')}
          value={date}
          onChange={setDate}
          excludeDate={(day) => existing.has(day)}
          error={addError}
          w={150}
          data-testid="closing-date"
        />
        <TextInput
          aria-label={t('settings.note')}
          placeholder={t('settings.note')}
          value={note}
          onChange={(event) => setNote(event.currentTarget.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && !event.nativeEvent.isComposing) {
              event.preventDefault();
              add();
            }
          }}
          style={{ flex: 1 }}
          data-testid="closing-note"
        />
        <Button variant="light" leftSection={<IconPlus size={14} />} onClick={add} data-testid="closing-add">
          {t('settings.add')}
        </Button>
      </Group>
      {fields.fields.length === 0 ? (
        <Text size="sm" c="dimmed" data-testid="closing-empty">
          {t('settings.noClosing')}
        </Text>
      ) : (
        <Table data-testid="closing-list">
          <Table.Tbody>
            {fields.fields.map((field, index) => (
              <Table.Tr key={field.id} data-testid={`closing-row-${field.date}`}>
                <Table.Td className="nowrap" w={150}>
                  {formatDate(field.date, i18n.language)}
                  {errors?.[index]?.date ? (
                    <Text size="xs" c="red">
                      {errors[index]?.date?.message}
                    </Text>
                  ) : null}
                </Table.Td>
                <Table.Td>
                  <TextInput
                    variant="unstyled"
                    size="xs"
                    aria-label={`${t('settings.note')} ${field.date}`}
                    error={errors?.[index]?.note?.message}
                    {...register(`closingDays.${index}.note`)}
                  />
                </Table.Td>
                <Table.Td w={36}>
                  <ActionIcon
                    color="red"
                    onClick={() => fields.remove(index)}
                    aria-label={`${t('settings.remove')} ${field.date}`}
                    data-testid={`closing-remove-${field.date}`}
                  >
                    <IconTrash size={14} />
                  </ActionIcon>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </>
  );
}
