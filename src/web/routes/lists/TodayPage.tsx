import { Badge, Grid, Group, Paper, Table, Text, TextInput, Title, UnstyledButton } from '@mantine/core';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Interaction, interactionsKey, STATUS_COLORS, todaySummaryQuery } from '../../api/interactions';
import { allItems, pagedQuery } from '../../api/paged';
import type { Page } from '../../api/types';
import { FnButton } from '../../components/fkeys';
import { MoreButton } from '../../components/MoreButton';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { formatDateTime, todayInTokyo } from '../../lib/datetime';
import { CsvButtons } from './CsvButtons';

/** 本日の対応一覧: a day's interactions (today by default) by staff member, for the leader's review. */
export function TodayPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [date, setDate] = useState(todayInTokyo());
  const [staffId, setStaffId] = useState<string | undefined>(undefined);
  const summary = useQuery(todaySummaryQuery(date));
  const filters = { date, staffId };
  const list = useInfiniteQuery(
    pagedQuery<Page<Interaction>>([...interactionsKey, 'today'], '/interactions/today', filters, 100),
  );
  const items = allItems(list.data?.pages);
  const total = (summary.data?.items ?? []).reduce((n, s) => n + s.count, 0);

  return (
    <>
      <PageHeader title={t('lists.todayTitle')}>
        <TextInput
          type="date"
          aria-label={t('lists.date')}
          value={date}
          onChange={(event) => event.currentTarget.value && setDate(event.currentTarget.value)}
          data-testid="today-date"
        />
        <CsvButtons path="/interactions/today/export" query={filters} testid="today-export" />
        <FnButton
          fkey="F5"
          variant="default"
          onClick={() => {
            void summary.refetch();
            void list.refetch();
          }}
          testid="today-refresh"
        >
          {t('common.refresh')}
        </FnButton>
      </PageHeader>
      <Grid gap="xs">
        <Grid.Col span={{ base: 12, md: 3 }}>
          <Paper withBorder p="xs">
            <Title order={3} mb={4}>
              {t('lists.byStaff')}
            </Title>
            <Table striped={false} data-testid="today-summary">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th />
                  <Table.Th className="num">{t('lists.count')}</Table.Th>
                  <Table.Th className="num">{t('lists.open')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                <Table.Tr bg={staffId === undefined ? 'indigo.0' : undefined}>
                  <Table.Td>
                    <UnstyledButton onClick={() => setStaffId(undefined)} data-testid="today-staff-all">
                      <Text size="xs" fw={600}>
                        {t('lists.allStaff')}
                      </Text>
                    </UnstyledButton>
                  </Table.Td>
                  <Table.Td className="num">{total}</Table.Td>
                  <Table.Td />
                </Table.Tr>
                {(summary.data?.items ?? []).map((s) => (
                  <Table.Tr key={s.staffId ?? 'none'} bg={staffId === s.staffId ? 'indigo.0' : undefined}>
                    <Table.Td>
                      <UnstyledButton
                        onClick={() => setStaffId(s.staffId ?? undefined)}
                        disabled={!s.staffId}
                        data-testid={`today-staff-${s.staffId ?? 'none'}`}
                      >
                        <Text size="xs">{s.staffName ?? t('lists.noStaff')}</Text>
                      </UnstyledButton>
                    </Table.Td>
                    <Table.Td className="num">{s.count}</Table.Td>
                    <Table.Td className="num">{s.open > 0 ? <Badge color="orange">{s.open}</Badge> : 0}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Paper>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 9 }}>
          {list.data ? (
            <Table.ScrollContainer minWidth={860}>
              <Table data-testid="today-table">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th w={120}>{t('interactions.at')}</Table.Th>
                    <Table.Th>{t('customers.name')}</Table.Th>
                    <Table.Th w={80}>{t('interactions.kind')}</Table.Th>
                    <Table.Th w={90}>{t('interactions.channel')}</Table.Th>
                    <Table.Th w={90}>{t('interactions.staff')}</Table.Th>
                    <Table.Th>{t('interactions.content')}</Table.Th>
                    <Table.Th w={110}>{t('interactions.status')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {items.length === 0 ? (
                    <Table.Tr>
                      <Table.Td colSpan={7}>
                        <Text size="xs" c="dimmed" ta="center">
                          {t('common.noData')}
                        </Text>
                      </Table.Td>
                    </Table.Tr>
                  ) : null}
                  {items.map((item) => (
                    <Table.Tr
                      key={item.id}
                      data-testid={`today-row-${item.id}`}
                      style={{ cursor: 'pointer', verticalAlign: 'top' }}
                      onClick={() =>
                        void navigate({
                          to: '/customers/$customerId',
                          params: { customerId: item.customerId },
                          search: {},
                        })
                      }
                    >
                      <Table.Td className="nowrap">{formatDateTime(item.at)}</Table.Td>
                      <Table.Td className="nowrap">
                        {item.customerName}
                        <Text span size="xs" c="dimmed" ml={4} className="mono">
                          {item.customerCode}
                        </Text>
                      </Table.Td>
                      <Table.Td className="nowrap">{item.kindName}</Table.Td>
                      <Table.Td className="nowrap">{t(`channels.${item.channel}`)}</Table.Td>
                      <Table.Td className="nowrap">{item.staffName}</Table.Td>
                      <Table.Td>
                        {item.subject ? (
                          <Text size="xs" fw={600}>
                            {item.subject}
                          </Text>
                        ) : null}
                        <Text size="xs" lineClamp={2}>
                          {item.body}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Group gap={4}>
                          <Badge color={STATUS_COLORS[item.status]}>{t(`interactionStatuses.${item.status}`)}</Badge>
                        </Group>
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
              testid="today-more"
            />
          ) : null}
        </Grid.Col>
      </Grid>
    </>
  );
}
