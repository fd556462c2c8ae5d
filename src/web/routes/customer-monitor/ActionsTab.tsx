import { Badge, Group, NativeSelect, Paper, Table, Text, TextInput, Title } from '@mantine/core';
import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { ACTION_KINDS, type ActionKind, type CustomerAction } from '../../api/interactions';
import { allItems, pagedQuery } from '../../api/paged';
import type { Page } from '../../api/types';
import { FormAlert } from '../../components/FormAlert';
import { FnButton } from '../../components/fkeys';
import { MoreButton } from '../../components/MoreButton';
import { QueryState } from '../../components/QueryState';
import { formatDateTime } from '../../lib/datetime';
import { notifySuccess } from '../../lib/notify';

const actionsKey = (customerId: string) => ['actions', customerId] as const;
const REF_TYPES = ['interaction', 'order', 'campaign', 'subscription', 'mail_magazine'] as const;
const isRefType = (value: string): value is (typeof REF_TYPES)[number] =>
  (REF_TYPES as readonly string[]).includes(value);

/** Records an action by hand (a call made, a DM or catalogue sent); F1 登録. */
function AddAction({ customerId }: { customerId: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [kind, setKind] = useState<ActionKind>('call');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<unknown>(null);

  const submit = async () => {
    setBusy(true);
    setProblem(null);
    try {
      await api.post<CustomerAction>(`/customers/${encodeURIComponent(customerId)}/actions`, {
        kind,
        note: note.trim() || null,
      });
      setNote('');
      await queryClient.invalidateQueries({ queryKey: actionsKey(customerId) });
      notifySuccess(t('actions.added'));
    } catch (error) {
      setProblem(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <Group gap={6} align="flex-end">
        <NativeSelect
          label={t('actions.kind')}
          value={kind}
          onChange={(event) => setKind(event.currentTarget.value as ActionKind)}
          data={ACTION_KINDS.map((k) => ({ value: k, label: t(`actions.kinds.${k}`) }))}
          data-testid="action-form-kind"
        />
        <TextInput
          label={t('actions.note')}
          value={note}
          onChange={(event) => setNote(event.currentTarget.value)}
          style={{ flex: 1 }}
          maxLength={1000}
          data-testid="action-form-note"
        />
        <FnButton fkey="F1" type="submit" loading={busy} testid="action-submit">
          {t('actions.add')}
        </FnButton>
      </Group>
      <FormAlert error={problem} />
    </form>
  );
}

/** AC履歴: calls, DMs, catalogues, newsletters … done towards the customer, newest first. */
export function ActionsTab({ customerId }: { customerId: string }) {
  const { t } = useTranslation();
  const [filters, setFilters] = useState({ kind: '', from: '', to: '' });
  const list = useInfiniteQuery(
    pagedQuery<Page<CustomerAction>>(
      actionsKey(customerId),
      `/customers/${encodeURIComponent(customerId)}/actions`,
      filters,
    ),
  );
  const items = allItems(list.data?.pages);

  return (
    <Paper withBorder p="xs">
      <Group justify="space-between" mb={6}>
        <Title order={3}>{t('actions.title')}</Title>
        <Group gap={6}>
          <TextInput
            type="date"
            aria-label={t('interactions.from')}
            value={filters.from}
            onChange={(event) => setFilters({ ...filters, from: event.currentTarget.value })}
            data-testid="action-filter-from"
          />
          <Text size="xs">〜</Text>
          <TextInput
            type="date"
            aria-label={t('interactions.to')}
            value={filters.to}
            onChange={(event) => setFilters({ ...filters, to: event.currentTarget.value })}
            data-testid="action-filter-to"
          />
          <NativeSelect
            aria-label={t('actions.kind')}
            value={filters.kind}
            onChange={(event) => setFilters({ ...filters, kind: event.currentTarget.value })}
            data={[
              { value: '', label: t('actions.allKinds') },
              ...ACTION_KINDS.map((k) => ({ value: k, label: t(`actions.kinds.${k}`) })),
            ]}
            data-testid="action-filter-kind"
          />
        </Group>
      </Group>
      <AddAction customerId={customerId} />
      {list.data ? (
        <Table mt="xs" data-testid="action-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={140}>{t('actions.at')}</Table.Th>
              <Table.Th w={120}>{t('actions.kind')}</Table.Th>
              <Table.Th>{t('actions.note')}</Table.Th>
              <Table.Th w={120}>{t('actions.staff')}</Table.Th>
              <Table.Th w={140}>{t('actions.ref')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.length === 0 ? (
              <Table.Tr>
                <Table.Td colSpan={5}>
                  <Text size="xs" c="dimmed" ta="center">
                    {t('actions.none')}
                  </Text>
                </Table.Td>
              </Table.Tr>
            ) : null}
            {items.map((action) => (
              <Table.Tr key={action.id} data-testid={`action-row-${action.id}`}>
                <Table.Td className="nowrap">{formatDateTime(action.at)}</Table.Td>
                <Table.Td>
                  <Badge color="grape">{t(`actions.kinds.${action.kind}`)}</Badge>
                </Table.Td>
                <Table.Td>{action.note}</Table.Td>
                <Table.Td className="nowrap">{action.staffName}</Table.Td>
                <Table.Td className="nowrap" c="dimmed">
                  {action.refType && isRefType(action.refType)
                    ? t(`actions.refTypes.${action.refType}`)
                    : (action.refType ?? '')}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : (
        <QueryState error={list.error} onRetry={() => void list.refetch()} />
      )}
      {list.data ? (
        <MoreButton
          hasMore={list.hasNextPage}
          loading={list.isFetchingNextPage}
          shown={items.length}
          onMore={() => void list.fetchNextPage()}
          testid="action-more"
        />
      ) : null}
    </Paper>
  );
}
