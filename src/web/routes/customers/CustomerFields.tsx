import {
  ActionIcon,
  Button,
  Checkbox,
  Group,
  NativeSelect,
  Paper,
  SimpleGrid,
  Stack,
  TagsInput,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { Controller, useFieldArray, useFormContext, useWatch } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { useStaffDirectory } from '../../api/cases';
import { GENDERS, PHONE_KINDS } from '../../api/customers';
import { parseDateInput } from '../../lib/dates';
import { ageOn } from '../../lib/tokyo';
import { AddressFields } from './AddressFields';
import { type CustomerValues, guessPhoneKind } from './customerFormModel';

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Paper withBorder p="xs">
      <Title order={3} mb={4}>
        {title}
      </Title>
      <Stack gap={6}>{children}</Stack>
    </Paper>
  );
}

function PhonesField({ autoFocus }: { autoFocus: boolean }) {
  const { t } = useTranslation();
  const { control, register, formState, getFieldState, setValue } = useFormContext<CustomerValues>();
  const phones = useFieldArray({ control, name: 'phones' });
  // The kind follows the number (090… → 携帯) until the operator chooses one.
  const guessKind = (index: number, number: string) => {
    if (number.trim() && !getFieldState(`phones.${index}.kind`).isDirty) {
      setValue(`phones.${index}.kind`, guessPhoneKind(number));
    }
  };
  return (
    <Stack gap={4}>
      <Text size="xs" fw={500}>
        {t('customerForm.phones')}
      </Text>
      {phones.fields.map((field, index) => (
        <Group key={field.id} gap={4} wrap="nowrap" align="flex-start">
          <TextInput
            style={{ flex: 1 }}
            placeholder="03-1234-5678"
            inputMode="tel"
            autoComplete="off"
            aria-label={`${t('customerForm.phones')} ${index + 1}`}
            error={formState.errors.phones?.[index]?.number?.message}
            data-testid={`customer-form-phone-${index}`}
            autoFocus={autoFocus && index === 0}
            {...register(`phones.${index}.number`, {
              onBlur: (event: { target: { value: string } }) => guessKind(index, event.target.value),
            })}
          />
          <NativeSelect
            w={92}
            aria-label={t('customerForm.phoneKind')}
            data={PHONE_KINDS.map((kind) => ({ value: kind, label: t(`phoneKinds.${kind}`) }))}
            data-testid={`customer-form-phone-kind-${index}`}
            {...register(`phones.${index}.kind`)}
          />
          <ActionIcon
            mt={4}
            color="gray"
            onClick={() => phones.remove(index)}
            disabled={phones.fields.length === 1}
            aria-label={t('customerForm.removePhone')}
            tabIndex={-1}
          >
            <IconTrash size={14} />
          </ActionIcon>
        </Group>
      ))}
      <Button
        variant="subtle"
        size="compact-xs"
        leftSection={<IconPlus size={12} />}
        onClick={() => phones.append({ number: '', kind: 'mobile' })}
        disabled={phones.fields.length >= 10}
        style={{ alignSelf: 'flex-start' }}
        data-testid="customer-form-add-phone"
      >
        {t('customerForm.addPhone')}
      </Button>
    </Stack>
  );
}

function BirthDateField() {
  const { t } = useTranslation();
  const { register, control, formState, setValue } = useFormContext<CustomerValues>();
  const typed = useWatch({ control, name: 'birthDate' });
  const parsed = typed ? parseDateInput(typed) : null;
  const age = ageOn(parsed);
  return (
    <TextInput
      label={t('customerForm.birthDate')}
      placeholder={t('customerForm.birthHint')}
      description={parsed ? `${parsed}${age === null ? '' : ` ・ ${t('customerForm.ageValue', { age })}`}` : undefined}
      error={formState.errors.birthDate?.message}
      autoComplete="off"
      data-testid="customer-form-birth"
      {...register('birthDate', {
        // S25.4.1 or 1950/4/1 is shown as 1950-04-01 once the field is left.
        onBlur: (event: { target: { value: string } }) => {
          const date = parseDateInput(event.target.value);
          if (date && date !== event.target.value) setValue('birthDate', date, { shouldDirty: true });
        },
      })}
    />
  );
}

function firstError(errors: unknown): string | undefined {
  if (!errors) return undefined;
  if (Array.isArray(errors)) return errors.map((e) => (e as { message?: string } | undefined)?.message).find(Boolean);
  return (errors as { message?: string }).message;
}

/**
 * The customer's fields for the new-customer form and the monitor's 顧客詳細 tab. DOM order is
 * the Tab order and follows the paper form: phones, name, kana, address, company, then the rest.
 */
export function CustomerFields({ autoFocus }: { autoFocus?: 'phone' | 'name' }) {
  const { t } = useTranslation();
  const { register, control, formState } = useFormContext<CustomerValues>();
  const { errors } = formState;
  const { staff } = useStaffDirectory();
  const staffId = useWatch({ control, name: 'staffId' });
  const staffOptions = staff.map((s) => ({ value: s.id, label: s.name }));
  // A staff member outside the directory this role can read: keep the value, shown by its id.
  if (staffId && !staff.some((s) => s.id === staffId))
    staffOptions.push({ value: staffId, label: staffId.slice(0, 8) });

  return (
    <SimpleGrid cols={{ base: 1, md: 2 }} spacing="xs">
      <Stack gap="xs">
        <Section title={t('customerForm.sectionContact')}>
          <PhonesField autoFocus={autoFocus === 'phone'} />
          <Group grow gap="xs" align="flex-start">
            <TextInput
              label={t('customerForm.familyName')}
              withAsterisk
              autoFocus={autoFocus === 'name'}
              error={errors.familyName?.message}
              data-testid="customer-form-family-name"
              {...register('familyName')}
            />
            <TextInput
              label={t('customerForm.givenName')}
              error={errors.givenName?.message}
              data-testid="customer-form-given-name"
              {...register('givenName')}
            />
          </Group>
          <Group grow gap="xs" align="flex-start">
            <TextInput
              label={t('customerForm.familyKana')}
              error={errors.familyNameKana?.message}
              data-testid="customer-form-family-kana"
              {...register('familyNameKana')}
            />
            <TextInput
              label={t('customerForm.givenKana')}
              error={errors.givenNameKana?.message}
              data-testid="customer-form-given-kana"
              {...register('givenNameKana')}
            />
          </Group>
        </Section>
        <Section title={t('customerForm.sectionAddress')}>
          <AddressFields testid="customer-form" />
          <Group grow gap="xs" align="flex-start">
            <TextInput
              label={t('customerForm.company')}
              error={errors.company?.message}
              data-testid="customer-form-company"
              {...register('company')}
            />
            <TextInput
              label={t('customerForm.department')}
              error={errors.department?.message}
              data-testid="customer-form-department"
              {...register('department')}
            />
          </Group>
        </Section>
      </Stack>
      <Stack gap="xs">
        <Section title={t('customerForm.sectionProfile')}>
          <Group grow gap="xs" align="flex-start">
            <BirthDateField />
            <NativeSelect
              label={t('customerForm.gender')}
              data={[
                { value: '', label: t('customerForm.unselected') },
                ...GENDERS.map((g) => ({ value: g, label: t(`genders.${g}`) })),
              ]}
              data-testid="customer-form-gender"
              {...register('gender')}
            />
          </Group>
          <Group gap="md">
            <Checkbox label={t('customerForm.dmOptIn')} data-testid="customer-form-dm" {...register('dmOptIn')} />
            <Checkbox label={t('customerForm.mailOptIn')} data-testid="customer-form-mail" {...register('mailOptIn')} />
          </Group>
          <Controller
            control={control}
            name="emails"
            render={({ field }) => (
              <TagsInput
                size="xs"
                label={t('customerForm.emails')}
                description={t('customerForm.emailsHint')}
                value={field.value}
                onChange={field.onChange}
                onBlur={field.onBlur}
                splitChars={[',', ' ', '、']}
                maxTags={10}
                error={firstError(errors.emails)}
                data-testid="customer-form-emails"
              />
            )}
          />
        </Section>
        <Section title={t('customerForm.sectionManage')}>
          <Group grow gap="xs" align="flex-start">
            <NativeSelect
              label={t('customerForm.staff')}
              data={[{ value: '', label: t('customerForm.unselected') }, ...staffOptions]}
              error={errors.staffId?.message}
              data-testid="customer-form-staff"
              {...register('staffId')}
            />
            <TextInput
              label={t('customerForm.adMedium')}
              error={errors.adMedium?.message}
              data-testid="customer-form-ad-medium"
              {...register('adMedium')}
            />
          </Group>
          <Controller
            control={control}
            name="tags"
            render={({ field }) => (
              <TagsInput
                size="xs"
                label={t('customerForm.tags')}
                value={field.value}
                onChange={field.onChange}
                onBlur={field.onBlur}
                maxTags={20}
                error={firstError(errors.tags)}
                data-testid="customer-form-tags"
              />
            )}
          />
          <TextInput
            label={t('customerForm.alert')}
            description={t('customerForm.alertHint')}
            error={errors.alert?.message}
            styles={{ input: { color: 'var(--mantine-color-red-8)', fontWeight: 600 } }}
            data-testid="customer-form-alert"
            {...register('alert')}
          />
          <Textarea
            label={t('customerForm.note')}
            autosize
            minRows={2}
            maxRows={6}
            error={errors.note?.message}
            data-testid="customer-form-note"
            {...register('note')}
          />
        </Section>
      </Stack>
    </SimpleGrid>
  );
}
