import { Badge, Button, Checkbox, Group, NativeSelect, Table, Text } from '@mantine/core';
import { IconDownload } from '@tabler/icons-react';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../api/auth';
import { CASE_STATUS_COLORS, CASE_STATUSES, type Case, casesKey, OPEN_CASE_STATUSES } from '../../api/cases';
import { buildUrl } from '../../api/client';
import { allItems, pagedQuery } from '../../api/paged';
import type { Page } from '../../api/types';
import { FnButton } from '../../components/fkeys';
import { MoreButton } from '../../components/MoreButton';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { formatDateTime } from '../../lib/datetime';

const OPEN = OPEN_CASE_STATUSES.join(',');

/** 未完了案件一覧: the cases list (open ones by default), most urgent first, with CSV for Excel. */
export function CaseListPage() {
  const { t } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();
  const [status, setStatus] = useState(OPEN);
  const [overdue, setOverdue] = useState(false);
  const filters = { status, ...(overdue ? { overdue: 'true' } : {}) };
  const list = useInfiniteQuery(pagedQuery<Page<Case>>([...casesKey, 'list'], '/cases', filters, 100));
  const items = allItems(list.data?.pages);
  const canExport = me.role === 'admin' || me.role === 'supervisor';

  return (
    <>
      <PageHeader title={t('cases.listTitle')}>
        {canExport ? (
          <>
            <Button
              component="a"
              href={buildUrl('/cases/export', filters)}
              variant="default"
              leftSection={<IconDownload size={14} />}
              data-testid="cases-export-utf8"
            >
              {t('lists.csvUtf8')}
            </Button>
            <Button
              component="a"
              href={buildUrl('/cases/export', { ...filters, encoding: 'sjis' })}
              variant="default"
              leftSection={<IconDownload size={14} />}
              data-testid="cases-export-sjis"
            >
              {t('lists.csvSjis')}
            </Button>
          </>
        ) : null}
        <FnButton fkey="F5" variant="default" onClick={() => void list.refetch()} testid="cases-refresh">
          {t('common.refresh')}
        </FnButton>
      </PageHeader>
      <Group gap="md" mb="xs">
        <NativeSelect
          label={t('cases.statusFilter')}
          value={status}
          onChange={(event) => setStatus(event.currentTarget.value)}
          data={[
            { value: OPEN, label: t('cases.listTitle') },
            ...CASE_STATUSES.map((s) => ({ value: s, label: t(`cases.statuses.${s}`) })),
          ]}
          data-testid="cases-filter-status"
        />
        <Checkbox
          mt={18}
          label={t('cases.overdueOnly')}
          checked={overdue}
          onChange={(event) => setOverdue(event.currentTarget.checked)}
          data-testid="cases-filter-overdue"
        />
      </Group>
      {list.data ? (
        <Table.ScrollContainer minWidth={900}>
          <Table data-testid="cases-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={60}>{t('cases.number')}</Table.Th>
                <Table.Th w={90}>{t('cases.status')}</Table.Th>
                <Table.Th>{t('cases.title')}</Table.Th>
                <Table.Th>{t('cases.customer')}</Table.Th>
                <Table.Th>{t('cases.assignee')}</Table.Th>
                <Table.Th>{t('cases.group')}</Table.Th>
                <Table.Th w={130}>{t('cases.due')}</Table.Th>
                <Table.Th w={130}>{t('cases.createdAt')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.length === 0 ? (
                <Table.Tr>
                  <Table.Td colSpan={8}>
                    <Text size="xs" c="dimmed" ta="center">
                      {t('cases.empty')}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ) : null}
              {items.map((c) => (
                <Table.Tr
                  key={c.id}
                  data-testid={`case-row-${c.id}`}
                  data-overdue={c.overdue ? 'true' : 'false'}
                  bg={c.overdue ? 'red.0' : undefined}
                  style={{ cursor: 'pointer' }}
                  onClick={() => void navigate({ to: '/cases/$caseId', params: { caseId: c.id } })}
                >
                  <Table.Td className="mono">#{c.number}</Table.Td>
                  <Table.Td>
                    <Badge color={CASE_STATUS_COLORS[c.status]}>{t(`cases.statuses.${c.status}`)}</Badge>
                  </Table.Td>
                  <Table.Td>{c.title}</Table.Td>
                  <Table.Td className="nowrap">{c.customer?.name}</Table.Td>
                  <Table.Td className="nowrap">{c.assignee?.name}</Table.Td>
                  <Table.Td className="nowrap">{c.group?.name}</Table.Td>
                  <Table.Td className="nowrap" c={c.overdue ? 'red.8' : undefined} fw={c.overdue ? 700 : 400}>
                    {formatDateTime(c.dueAt)}
                  </Table.Td>
                  <Table.Td className="nowrap">{formatDateTime(c.createdAt)}</Table.Td>
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
          testid="cases-more"
        />
      ) : null}
    </>
  );
}
