import { zodResolver } from '@hookform/resolvers/zod';
import { Stack } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useMemo, useState } from 'react';
import { FormProvider, useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { createCustomer, customersKey } from '../../api/customers';
import { FormAlert } from '../../components/FormAlert';
import { FnButton } from '../../components/fkeys';
import { PageHeader } from '../../components/PageHeader';
import { applyApiErrors } from '../../lib/forms';
import { notifySuccess } from '../../lib/notify';
import { CustomerFields } from './CustomerFields';
import {
  CUSTOMER_FIELDS,
  type CustomerValues,
  customerSchema,
  emptyCustomer,
  remapCustomerErrors,
  valuesToInput,
} from './customerFormModel';

export interface NewCustomerSearch {
  phone?: string;
  name?: string;
  callId?: string;
}

/** 新規顧客: the screen pop's "no match" lands here with the caller's number filled. */
export function NewCustomerPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const search: NewCustomerSearch = useSearch({ strict: false });
  const [problem, setProblem] = useState<unknown>(null);
  const schema = useMemo(() => customerSchema(t), [t]);
  const defaults = useMemo(() => {
    const values = emptyCustomer(search.phone ?? '');
    if (search.name) values.familyName = search.name;
    return values;
  }, [search.phone, search.name]);
  const form = useForm<CustomerValues>({ resolver: zodResolver(schema), defaultValues: defaults });
  const { handleSubmit, setError, formState } = form;

  const onSubmit = async (values: CustomerValues) => {
    setProblem(null);
    try {
      const customer = await createCustomer(valuesToInput(values));
      queryClient.setQueryData([...customersKey, 'one', customer.id], customer);
      await queryClient.invalidateQueries({ queryKey: [...customersKey, 'search'] });
      notifySuccess(t('customerForm.created', { code: customer.code }));
      await navigate({
        to: '/customers/$customerId',
        params: { customerId: customer.id },
        search: { tab: 'interactions', callId: search.callId },
      });
    } catch (error) {
      const remapped = remapCustomerErrors(error, values);
      if (!applyApiErrors(remapped, setError, CUSTOMER_FIELDS)) setProblem(error);
    }
  };

  return (
    <FormProvider {...form}>
      <form onSubmit={handleSubmit(onSubmit)} noValidate data-testid="new-customer-form">
        <PageHeader title={t('customerForm.newTitle')}>
          <FnButton
            fkey="F3"
            variant="default"
            onClick={() => void navigate({ to: '/customers', search: {} })}
            testid="new-customer-search"
          >
            {t('monitor.search')}
          </FnButton>
          <FnButton fkey="F1" type="submit" loading={formState.isSubmitting} testid="new-customer-submit">
            {t('common.save')}
          </FnButton>
        </PageHeader>
        <Stack gap="xs" maw={1200}>
          <FormAlert error={problem} />
          <CustomerFields autoFocus={search.phone ? 'name' : 'phone'} />
        </Stack>
      </form>
    </FormProvider>
  );
}
