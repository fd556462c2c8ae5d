import { zodResolver } from '@hookform/resolvers/zod';
import { Group, Stack, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { FormProvider, useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { ApiError, isApiError } from '../../api/client';
import { type Customer, customersKey, updateCustomer } from '../../api/customers';
import { FormAlert } from '../../components/FormAlert';
import { FnButton } from '../../components/fkeys';
import { applyApiErrors } from '../../lib/forms';
import { notifySuccess } from '../../lib/notify';
import { CustomerFields } from '../customers/CustomerFields';
import {
  CUSTOMER_FIELDS,
  type CustomerValues,
  customerSchema,
  customerToValues,
  remapCustomerErrors,
  valuesToInput,
} from '../customers/customerFormModel';

/** 顧客詳細: the customer's record, edited in place (If-Match: another person's change → 412). */
export function DetailTab({ customer }: { customer: Customer }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [problem, setProblem] = useState<unknown>(null);
  const schema = useMemo(() => customerSchema(t), [t]);
  const values = useMemo(() => customerToValues(customer), [customer]);
  const form = useForm<CustomerValues>({ resolver: zodResolver(schema), values });
  const { handleSubmit, setError, formState } = form;

  const onSubmit = async (v: CustomerValues) => {
    setProblem(null);
    try {
      const saved = await updateCustomer(customer.id, valuesToInput(v), customer.version);
      queryClient.setQueryData([...customersKey, 'one', customer.id], saved);
      await queryClient.invalidateQueries({ queryKey: [...customersKey, 'search'] });
      notifySuccess(t('customerForm.saved'));
    } catch (error) {
      if (isApiError(error) && error.status === 412) {
        setProblem(
          new ApiError({ status: 412, code: error.code, title: error.title, detail: t('customerForm.stale') }),
        );
      } else if (!applyApiErrors(remapCustomerErrors(error, v), setError, CUSTOMER_FIELDS)) {
        setProblem(error);
      }
    }
  };

  return (
    <FormProvider {...form}>
      <form onSubmit={handleSubmit(onSubmit)} noValidate data-testid="customer-detail-form">
        <Stack gap="xs">
          <FormAlert error={problem} />
          <CustomerFields />
          <Group justify="space-between">
            <Text size="xs" c="dimmed">
              {formState.isDirty ? t('settings.unsaved') : ''}
            </Text>
            <FnButton fkey="F1" type="submit" loading={formState.isSubmitting} testid="customer-detail-submit">
              {t('common.save')}
            </FnButton>
          </Group>
        </Stack>
      </form>
    </FormProvider>
  );
}
