import { ActionIcon, Badge, Group, Menu, NativeSelect, Paper, Table, Text, TextInput, Title } from '@mantine/core';
import { IconArrowUpRight, IconDots } from '@tabler/icons-react';
import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  type Interaction,
  interactionsKey,
  kindsQuery,
  SETTABLE_STATUSES,
  STATUS_COLORS,
  updateInteraction,
} from '../../api/interactions';
import { allItems, pagedQuery } from '../../api/paged';
import type { Page } from '../../api/types';
import { MoreButton } from '../../components/MoreButton';
import { QueryState } from '../../components/QueryState';
import { formatDateTime, isFuture } from '../../lib/datetime';
import { notifyError, notifySuccess } from '../../lib/notify';

interface Props {
  customerId: string;
  selectedId: string | null;
  onSelect: (interaction: Interaction) => void;
  onEscalate: (interaction: Interaction) => void;
}

/** 対応履歴 of one customer, newest first, filtered by period and kind; a row selected is what F4 escalates. */
export function InteractionList({ customerId, selectedId, onSelect, onEscalate }: Props) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const kinds = useQuery(kindsQuery);
  const [filters, setFilters] = useState({ from: '', to: '', kindId: '' });
  const list = useInfiniteQuery(
    pagedQuery<Page<Interaction>>(
      [...interactionsKey, 'customer', customerId],
      `/customers/${customerId}/interactions`,
      filters,
    ),
  );
  const items = allItems(list.data?.pages);

  const setStatus = async (interaction: Interaction, status: (typeof SETTABLE_STATUSES)[number]) => {
    try {
      await updateInteraction(interaction.id, { status });
      await queryClient.invalidateQueries({ queryKey: interactionsKey });
      notifySuccess(t('interactions.statusChanged', { status: t(`interactionStatuses.${status}`) }));
    } catch (error) {
      notifyError(error);
    }
  };

  return (
    <Paper withBorder p="xs">
      <Group justify="space-between" mb={6} gap="xs">
        <Title order={3}>{t('interactions.historyTitle')}</Title>
        <Group gap={6}>
          <TextInput
            type="date"
            aria-label={t('interactions.from')}
            value={filters.from}
            onChange={(event) => setFilters({ ...filters, from: event.currentTarget.value })}
            data-testid="interaction-filter-from"
          />
          <Text size="xs">〜</Text>
          <TextInput
            type="date"
            aria-label={t('interactions.to')}
            value={filters.to}
            onChange={(event) => setFilters({ ...filters, to: event.currentTarget.value })}
            data-testid="interaction-filter-to"
          />
          <NativeSelect
            aria-label={t('interactions.kind')}
            value={filters.kindId}
            onChange={(event) => setFilters({ ...filters, kindId: event.currentTarget.value })}
            data={[
              { value: '', label: t('interactions.allKinds') },
              ...(kinds.data?.items ?? []).map((k) => ({ value: k.id, label: k.name })),
            ]}
            data-testid="interaction-filter-kind"
          />
        </Group>
      </Group>
      {list.data ? (
        // The content takes the room: when and who share a cell, as do 区分 and 種別 (the panel is
        // half the screen; a column each left 定期変更 entries a word wide).
        <Table.ScrollContainer minWidth={600} maxHeight="calc(100vh - 330px)">
          <Table data-testid="interaction-table" style={{ tableLayout: 'fixed' }}>
            <colgroup>
              <col style={{ width: 124 }} />
              <col style={{ width: 92 }} />
              <col />
              <col style={{ width: 116 }} />
              <col style={{ width: 40 }} />
            </colgroup>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>
                  {t('interactions.at')}
                  <Text span size="xs" c="dimmed" display="block">
                    {t('interactions.staff')}
                  </Text>
                </Table.Th>
                <Table.Th>
                  {t('interactions.kind')}
                  <Text span size="xs" c="dimmed" display="block">
                    {t('interactions.channel')}
                  </Text>
                </Table.Th>
                <Table.Th>{t('interactions.content')}</Table.Th>
                <Table.Th>{t('interactions.status')}</Table.Th>
                <Table.Th aria-label={t('common.actions')} />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.length === 0 ? (
                <Table.Tr>
                  <Table.Td colSpan={5}>
                    <Text size="xs" c="dimmed" ta="center">
                      {t('interactions.noHistory')}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ) : null}
              {items.map((item) => {
                const selected = item.id === selectedId;
                const overdue = item.dueAt && item.status !== 'done' && !isFuture(item.dueAt);
                return (
                  <Table.Tr
                    key={item.id}
                    data-testid={`interaction-row-${item.id}`}
                    data-status={item.status}
                    data-selected={selected || undefined}
                    aria-selected={selected}
                    tabIndex={0}
                    bg={selected ? 'indigo.1' : undefined}
                    style={{ cursor: 'pointer', verticalAlign: 'top' }}
                    onClick={() => onSelect(item)}
                    onKeyDown={(event) => {
                      if (event.key === 'Enter' || event.key === ' ') {
                        event.preventDefault();
                        onSelect(item);
                      }
                    }}
                  >
                    <Table.Td>
                      <Text size="xs" className="nowrap">
                        {formatDateTime(item.at)}
                      </Text>
                      <Text size="xs" c="dimmed" truncate="end" title={item.staffName ?? undefined}>
                        {item.staffName ?? ''}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="xs" truncate="end" title={item.kindName}>
                        {item.kindName}
                      </Text>
                      <Text size="xs" c="dimmed" truncate="end">
                        {t(`channels.${item.channel}`)}
                      </Text>
                    </Table.Td>
                    <Table.Td style={{ overflowWrap: 'anywhere' }}>
                      {item.subject ? (
                        <Text size="xs" fw={600}>
                          {item.subject}
                        </Text>
                      ) : null}
                      <Text size="xs" style={{ whiteSpace: 'pre-wrap' }} lineClamp={selected ? undefined : 3}>
                        {item.body}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Badge color={STATUS_COLORS[item.status]}>{t(`interactionStatuses.${item.status}`)}</Badge>
                      {item.assigneeName ? (
                        <Text size="xs" c="dimmed">
                          {item.assigneeName}
                        </Text>
                      ) : null}
                      {item.dueAt ? (
                        <Text size="xs" c={overdue ? 'red.7' : 'dimmed'} fw={overdue ? 700 : 400}>
                          {formatDateTime(item.dueAt)}
                        </Text>
                      ) : null}
                    </Table.Td>
                    <Table.Td onClick={(event) => event.stopPropagation()}>
                      <Menu>
                        <Menu.Target>
                          <ActionIcon aria-label={t('common.actions')} data-testid={`interaction-menu-${item.id}`}>
                            <IconDots size={14} />
                          </ActionIcon>
                        </Menu.Target>
                        <Menu.Dropdown>
                          <Menu.Label>{t('interactions.setStatus')}</Menu.Label>
                          {SETTABLE_STATUSES.map((status) => (
                            <Menu.Item
                              key={status}
                              disabled={item.status === status}
                              onClick={() => void setStatus(item, status)}
                              data-testid={`interaction-set-${status}-${item.id}`}
                            >
                              {t(`interactionStatuses.${status}`)}
                            </Menu.Item>
                          ))}
                          <Menu.Divider />
                          <Menu.Item
                            leftSection={<IconArrowUpRight size={14} />}
                            disabled={item.status === 'escalated'}
                            onClick={() => onEscalate(item)}
                            data-testid={`interaction-escalate-${item.id}`}
                          >
                            F4 {t('monitor.escalate')}
                          </Menu.Item>
                        </Menu.Dropdown>
                      </Menu>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
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
          testid="interaction-more"
        />
      ) : null}
    </Paper>
  );
}
