import { Badge, Button, Group, NumberInput, Table, Text } from '@mantine/core';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../api/auth';
import { interactionSettingsQuery, type NeglectedCustomer, saveInteractionSettings } from '../../api/interactions';
import { allItems, pagedQuery } from '../../api/paged';
import type { Page } from '../../api/types';
import { FnButton } from '../../components/fkeys';
import { MoreButton } from '../../components/MoreButton';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { formatDateTime } from '../../lib/datetime';
import { notifyError, notifySuccess } from '../../lib/notify';
import { formatPhone } from '../../lib/phone';
import { CsvButtons } from './CsvButtons';

/** 長期未対応顧客: customers with no interaction, action or purchase for N days, the longest-quiet first. */
export function NeglectedPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const settings = useQuery(interactionSettingsQuery);
  const [typed, setTyped] = useState<number | string>('');
  const [days, setDays] = useState<number | undefined>(undefined);
  useEffect(() => {
    if (settings.data && typed === '') setTyped(settings.data.neglectDays);
  }, [settings.data, typed]);
  const filters = { days };
  const list = useInfiniteQuery(
    pagedQuery<Page<NeglectedCustomer>>(['customers', 'neglected'], '/customers/neglected', filters, 100),
  );
  const items = allItems(list.data?.pages);
  const valid = (n: number) => Number.isInteger(n) && n >= 1 && n <= 3650;
  const apply = () => {
    const n = Number(typed);
    if (valid(n)) setDays(n);
  };
  // Admins make the typed N the tenant's default (the setting every user's list starts from).
  const isAdmin = useMe().role === 'admin';
  const queryClient = useQueryClient();
  const saveDefault = useMutation({
    mutationFn: (neglectDays: number) => saveInteractionSettings({ neglectDays }),
    onSuccess: (saved) => {
      queryClient.setQueryData(interactionSettingsQuery.queryKey, saved);
      notifySuccess(t('lists.defaultSaved', { days: saved.neglectDays }));
    },
    onError: notifyError,
  });

  return (
    <>
      <PageHeader title={t('lists.neglectedTitle')}>
        <CsvButtons path="/customers/neglected/export" query={filters} testid="neglected-export" />
        <FnButton fkey="F5" variant="default" onClick={() => void list.refetch()} testid="neglected-refresh">
          {t('common.refresh')}
        </FnButton>
      </PageHeader>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          apply();
        }}
      >
        <Group gap={6} mb="xs" align="flex-end">
          <NumberInput
            label={t('lists.days')}
            value={typed}
            onChange={setTyped}
            min={1}
            max={3650}
            w={110}
            size="xs"
            data-testid="neglected-days"
          />
          <Text size="xs" mb={6}>
            {t('lists.daysSuffix')}
          </Text>
          <Button type="submit" data-testid="neglected-search">
            {t('lists.search')}
          </Button>
          {isAdmin ? (
            <Button
              variant="default"
              loading={saveDefault.isPending}
              disabled={!valid(Number(typed)) || Number(typed) === settings.data?.neglectDays}
              onClick={() => saveDefault.mutate(Number(typed))}
              data-testid="neglected-save-default"
            >
              {t('lists.saveDefault')}
            </Button>
          ) : null}
        </Group>
      </form>
      {list.data ? (
        <Table.ScrollContainer minWidth={980}>
          <Table data-testid="neglected-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('customers.name')}</Table.Th>
                <Table.Th w={90}>{t('customers.code')}</Table.Th>
                <Table.Th w={130}>{t('customers.phones')}</Table.Th>
                <Table.Th>{t('customers.address')}</Table.Th>
                <Table.Th w={100}>{t('customerForm.staff')}</Table.Th>
                <Table.Th w={130}>{t('lists.lastContact')}</Table.Th>
                <Table.Th w={70} className="num">
                  {t('lists.daysCol')}
                </Table.Th>
                <Table.Th>{t('lists.lastContactKind')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.length === 0 ? (
                <Table.Tr>
                  <Table.Td colSpan={8}>
                    <Text size="xs" c="dimmed" ta="center">
                      {t('common.noData')}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ) : null}
              {items.map((c) => (
                <Table.Tr
                  key={c.customerId}
                  data-testid={`neglected-row-${c.customerId}`}
                  style={{ cursor: 'pointer' }}
                  onClick={() =>
                    void navigate({ to: '/customers/$customerId', params: { customerId: c.customerId }, search: {} })
                  }
                >
                  <Table.Td className="nowrap">
                    {c.name}
                    {c.nameKana ? (
                      <Text span size="xs" c="dimmed" ml={4}>
                        {c.nameKana}
                      </Text>
                    ) : null}
                  </Table.Td>
                  <Table.Td className="mono">{c.code}</Table.Td>
                  <Table.Td className="nowrap">{formatPhone(c.phone)}</Table.Td>
                  <Table.Td>{[c.prefecture, c.city].filter(Boolean).join(' ')}</Table.Td>
                  <Table.Td className="nowrap">{c.staffName}</Table.Td>
                  <Table.Td className="nowrap">
                    {c.lastContactAt ? (
                      formatDateTime(c.lastContactAt)
                    ) : (
                      <Text span size="xs" c="dimmed">
                        {t('lists.neverContacted')}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td className="num">
                    <Text span size="xs" fw={700} c={c.days >= 90 ? 'red.8' : undefined}>
                      {c.days}
                    </Text>
                  </Table.Td>
                  <Table.Td className="nowrap">
                    {c.lastContactType ? (
                      <Badge variant="outline" mr={4}>
                        {t(`lists.contactTypes.${c.lastContactType}`)}
                      </Badge>
                    ) : null}
                    {c.lastContactLabel}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : (
        <QueryState error={list.error} onRetry={() => void list.refetch()} />
      )}
      {list.data ? (
        <MoreButton
          hasMore={list.hasNextPage}
          loading={list.isFetchingNextPage}
          shown={items.length}
          onMore={() => void list.fetchNextPage()}
          testid="neglected-more"
        />
      ) : null}
    </>
  );
}
