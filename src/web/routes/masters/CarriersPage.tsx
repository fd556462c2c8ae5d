import { Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  CARRIERS,
  type Carrier,
  type CarrierAccount,
  carrierAccountsQuery,
  putCarrierAccount,
  putTimeSlots,
  timeSlotsQuery,
} from '../../api/catalogue';
import { FormAlert } from '../../components/FormAlert';
import { FnButton } from '../../components/fkeys';
import { type FieldErrors, FieldGrid } from '../../components/master/FieldInput';
import { placeErrors } from '../../components/master/MasterEditModal';
import type { FieldDef, FormValues } from '../../components/master/types';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { notifySuccess } from '../../lib/notify';
import { num, text, textOrNull } from './common';

/** The codes each carrier's file layout asks for (B2 ご請求先顧客コード …). */
const ACCOUNT_KEYS: Record<Carrier, string[]> = {
  yamato: ['customerCode', 'classCode', 'freightNumber'],
  sagawa: ['customerCode'],
  japanpost: ['customerNumber'],
};

function CarrierCard({ carrier, account }: { carrier: Carrier; account: CarrierAccount | undefined }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const slots = useQuery(timeSlotsQuery(carrier));
  const keys = ACCOUNT_KEYS[carrier];
  const fields: FieldDef[] = useMemo(
    () => [
      ...keys.map(
        (key): FieldDef => ({
          kind: 'text',
          name: key,
          label: t(`masters.carrierAccounts.keys.${key}` as 'masters.carrierAccounts.keys.customerCode'),
          span: 4,
          maxLength: 100,
        }),
      ),
      {
        kind: 'text',
        name: 'trackingUrl',
        label: t('masters.carrierAccounts.trackingUrl'),
        description: t('masters.carrierAccounts.trackingUrlHint'),
        span: 12,
        maxLength: 300,
      },
      {
        kind: 'rows',
        name: 'slots',
        label: t('masters.carrierAccounts.timeSlots'),
        description: t(`masters.carrierAccounts.slotsHint.${carrier}`),
        addLabel: t('masters.carrierAccounts.addSlot'),
        maxRows: 50,
        fields: [
          { kind: 'text', name: 'code', label: t('masters.common.code'), maxLength: 10 },
          { kind: 'text', name: 'label', label: t('masters.carrierAccounts.slotLabel'), maxLength: 50 },
          { kind: 'int', name: 'sortOrder', label: t('masters.common.sortOrder') },
          { kind: 'bool', name: 'active', label: t('masters.common.active') },
        ],
      },
    ],
    [keys, carrier, t],
  );
  const initial = useMemo(
    (): FormValues => ({
      ...Object.fromEntries(keys.map((k) => [k, account?.account[k] ?? ''])),
      trackingUrl: account?.trackingUrl ?? '',
      slots: (slots.data?.items ?? []).map((s) => ({ ...s })),
    }),
    [keys, account, slots.data],
  );
  const [values, setValues] = useState(initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [problem, setProblem] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  useEffect(() => setValues(initial), [initial]);

  const save = async () => {
    setSaving(true);
    setErrors({});
    setProblem(null);
    try {
      await putCarrierAccount(carrier, {
        account: Object.fromEntries(keys.map((k) => [k, text(values[k])])),
        trackingUrl: textOrNull(values.trackingUrl),
      });
      const rows = Array.isArray(values.slots) ? (values.slots as FormValues[]) : [];
      try {
        await putTimeSlots(
          carrier,
          rows.map((r, i) => ({
            code: text(r.code),
            label: text(r.label),
            sortOrder: num(r.sortOrder, i),
            active: Boolean(r.active),
          })),
        );
      } catch (error) {
        // The slots' paths are items.N.field on the server: shown under this form's slots rows.
        const { placed, rest } = placeErrors(error, ['items']);
        setErrors(Object.fromEntries(Object.entries(placed).map(([k, m]) => [k.replace(/^items/, 'slots'), m])));
        if (rest) setProblem(error);
        return;
      }
      await queryClient.invalidateQueries({ queryKey: ['master', 'carrier-accounts'] });
      await queryClient.invalidateQueries({ queryKey: ['master', 'time-slots', carrier] });
      notifySuccess(t('master.saved'));
    } catch (error) {
      const { placed, rest } = placeErrors(error, ['account', 'trackingUrl']);
      setErrors(Object.fromEntries(Object.entries(placed).map(([k, m]) => [k.replace(/^account\./, ''), m])));
      if (rest) setProblem(error);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Paper withBorder p="sm" data-testid={`carrier-${carrier}`}>
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void save();
        }}
      >
        <Stack gap={6}>
          <Title order={2}>{t(`masters.carriers.${carrier}`)}</Title>
          <Text size="xs" c="dimmed">
            {t(`masters.carrierAccounts.lead.${carrier}`)}
          </Text>
          <FormAlert error={problem} />
          <FieldGrid
            fields={fields}
            values={values}
            setValue={(name, value) => setValues((current) => ({ ...current, [name]: value }))}
            errors={errors}
            testid={`carrier-${carrier}`}
            isNew={false}
          />
          <FnButton
            fkey="F1"
            type="submit"
            loading={saving}
            testid={`carrier-${carrier}-save`}
            style={{ alignSelf: 'flex-end' }}
          >
            {t('common.save')}
          </FnButton>
        </Stack>
      </form>
    </Paper>
  );
}

/** 運送会社: the contract codes of each carrier (for its file layout), its tracking page and its time slots. */
export function CarriersPage() {
  const { t } = useTranslation();
  const accounts = useQuery(carrierAccountsQuery);
  return (
    <>
      <PageHeader title={t('masters.carrierAccounts.title')} />
      {accounts.data ? (
        <SimpleGrid cols={{ base: 1, lg: 3 }} spacing="sm">
          {CARRIERS.map((carrier) => (
            <CarrierCard
              key={carrier}
              carrier={carrier}
              account={accounts.data.items.find((a) => a.carrier === carrier)}
            />
          ))}
        </SimpleGrid>
      ) : (
        <QueryState error={accounts.error} onRetry={() => void accounts.refetch()} />
      )}
    </>
  );
}
