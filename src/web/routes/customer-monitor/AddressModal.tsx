import { zodResolver } from '@hookform/resolvers/zod';
import { Button, Group, Modal, Stack, Textarea, TextInput } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { FormProvider, useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import {
  addressesQuery,
  type Customer,
  createAddress,
  type DeliveryAddress,
  type DeliveryAddressInput,
  updateAddress,
} from '../../api/customers';
import { FormAlert } from '../../components/FormAlert';
import { FnButton } from '../../components/fkeys';
import { applyApiErrors } from '../../lib/forms';
import { notifySuccess } from '../../lib/notify';
import { AddressFields } from '../customers/AddressFields';

const FIELDS = [
  'label',
  'name',
  'nameKana',
  'postalCode',
  'prefecture',
  'city',
  'address1',
  'address2',
  'company',
  'department',
  'phone',
  'note',
] as const;
type Values = Record<(typeof FIELDS)[number], string>;

function toValues(address: DeliveryAddress | null, customer: Customer): Values {
  const values = Object.fromEntries(FIELDS.map((f) => [f, ''])) as Values;
  if (!address) return { ...values, name: customer.name, nameKana: customer.nameKana ?? '' };
  for (const f of FIELDS) values[f] = address[f] ?? '';
  return values;
}

/** Adds or edits a 送付先; the postal code fills the address as on the customer form; F1 登録. */
export function AddressModal({
  customer,
  address,
  opened,
  onClose,
}: {
  customer: Customer;
  /** null: a new address. */
  address: DeliveryAddress | null;
  opened: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [problem, setProblem] = useState<unknown>(null);
  const schema = useMemo(
    () =>
      z.object({
        ...(Object.fromEntries(FIELDS.map((f) => [f, z.string().trim().max(1000)])) as Record<
          (typeof FIELDS)[number],
          z.ZodString
        >),
        name: z.string().trim().min(1, t('validation.required')).max(100),
      }),
    [t],
  );
  const form = useForm<Values>({ resolver: zodResolver(schema), defaultValues: toValues(address, customer) });
  const { register, handleSubmit, setError, reset, formState } = form;

  useEffect(() => {
    if (opened) {
      reset(toValues(address, customer));
      setProblem(null);
    }
  }, [opened, address, customer, reset]);

  const onSubmit = async (values: Values) => {
    setProblem(null);
    const body = Object.fromEntries(
      FIELDS.map((f) => [f, values[f].trim() === '' ? null : values[f].trim()]),
    ) as unknown as DeliveryAddressInput;
    try {
      if (address) await updateAddress(customer.id, address.id, body);
      else await createAddress(customer.id, body);
      await queryClient.invalidateQueries({ queryKey: addressesQuery(customer.id).queryKey });
      notifySuccess(t('addresses.saved'));
      onClose();
    } catch (error) {
      if (!applyApiErrors(error, setError, FIELDS)) setProblem(error);
    }
  };

  const text = (
    name: (typeof FIELDS)[number],
    label: string,
    extra: { withAsterisk?: boolean; description?: string } = {},
  ) => (
    <TextInput
      label={label}
      error={formState.errors[name]?.message}
      data-testid={`address-form-${name}`}
      {...extra}
      {...register(name)}
    />
  );

  return (
    <Modal opened={opened} onClose={onClose} title={address ? t('addresses.edit') : t('addresses.create')} size="lg">
      <FormProvider {...form}>
        <form onSubmit={handleSubmit(onSubmit)} noValidate data-testid="address-form">
          <Stack gap={6}>
            <FormAlert error={problem} />
            <Group grow gap="xs" align="flex-start">
              {text('label', t('addresses.label'), { description: t('addresses.labelHint') })}
              {text('phone', t('addresses.phone'))}
            </Group>
            <Group grow gap="xs" align="flex-start">
              {text('name', t('addresses.name'), { withAsterisk: true })}
              {text('nameKana', t('addresses.kana'))}
            </Group>
            <AddressFields testid="address-form" />
            <Group grow gap="xs" align="flex-start">
              {text('company', t('customerForm.company'))}
              {text('department', t('customerForm.department'))}
            </Group>
            <Textarea
              label={t('addresses.note')}
              autosize
              minRows={2}
              data-testid="address-form-note"
              {...register('note')}
            />
            <Group justify="flex-end" gap={6}>
              <Button variant="default" onClick={onClose}>
                {t('common.cancel')}
              </Button>
              <FnButton fkey="F1" type="submit" loading={formState.isSubmitting} testid="address-submit">
                {t('common.save')}
              </FnButton>
            </Group>
          </Stack>
        </form>
      </FormProvider>
    </Modal>
  );
}
