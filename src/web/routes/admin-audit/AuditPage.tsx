import { ActionIcon, Badge, Button, Code, Modal, Table, Text } from '@mantine/core';
import { IconDownload, IconFileText } from '@tabler/icons-react';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { buildUrl } from '../../api/client';
import { allItems, type Filters, pagedQuery } from '../../api/paged';
import type { AuditEntry, Page } from '../../api/types';
import { FnButton } from '../../components/fkeys';
import { MoreButton } from '../../components/MoreButton';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { formatDateTime } from '../../lib/datetime';
import { AuditFilters, type AuditFilterValues, EMPTY_FILTERS } from './AuditFilters';

function toQuery(filters: AuditFilterValues): Filters {
  return { ...filters };
}

function Actor({ actor }: { actor: AuditEntry['actor'] }) {
  const { t } = useTranslation();
  if (actor.type === 'user') return <span title={actor.label}>{actor.name || actor.label}</span>;
  return (
    <span>
      <Badge color={actor.type === 'system' ? 'gray' : 'grape'} mr={4}>
        {t(`audit.${actor.type}`)}
      </Badge>
      {/* The system's own label is just "system": the badge says it already. */}
      {actor.type === 'system' && actor.label === 'system' ? null : actor.label}
    </span>
  );
}

export function AuditPage() {
  const { t } = useTranslation();
  const [filters, setFilters] = useState<AuditFilterValues>(EMPTY_FILTERS);
  const [detail, setDetail] = useState<AuditEntry | null>(null);
  const list = useInfiniteQuery(pagedQuery<Page<AuditEntry>>(['audit'], '/audit', toQuery(filters), 100));
  const entries = allItems(list.data?.pages);

  return (
    <>
      <PageHeader title={t('audit.title')}>
        <FnButton fkey="F5" variant="default" onClick={() => void list.refetch()} testid="audit-refresh">
          {t('common.refresh')}
        </FnButton>
        <Button
          component="a"
          href={buildUrl('/audit/export', toQuery(filters))}
          variant="default"
          leftSection={<IconDownload size={14} />}
          data-testid="audit-export"
        >
          {t('audit.export')}
        </Button>
        <Button
          component="a"
          href={buildUrl('/audit/export', { ...toQuery(filters), encoding: 'sjis' })}
          variant="default"
          leftSection={<IconDownload size={14} />}
          data-testid="audit-export-sjis"
        >
          {t('audit.exportSjis')}
        </Button>
      </PageHeader>
      <AuditFilters value={filters} onApply={setFilters} />
      {list.data ? (
        <Table.ScrollContainer minWidth={980}>
          <Table data-testid="audit-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('audit.at')}</Table.Th>
                <Table.Th>{t('audit.actor')}</Table.Th>
                <Table.Th>{t('audit.action')}</Table.Th>
                <Table.Th>{t('audit.object')}</Table.Th>
                <Table.Th>{t('audit.ip')}</Table.Th>
                <Table.Th>{t('audit.requestId')}</Table.Th>
                <Table.Th className="nowrap">{t('audit.detail')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {entries.length === 0 ? (
                <Table.Tr>
                  <Table.Td colSpan={7}>
                    <Text size="sm" c="dimmed" ta="center">
                      {t('common.noData')}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ) : null}
              {entries.map((entry) => (
                <Table.Tr key={entry.id} data-testid={`audit-row-${entry.id}`}>
                  <Table.Td className="nowrap">{formatDateTime(entry.at, true)}</Table.Td>
                  <Table.Td className="nowrap">
                    <Actor actor={entry.actor} />
                  </Table.Td>
                  <Table.Td className="mono">{entry.action}</Table.Td>
                  <Table.Td className="mono">
                    {entry.objectType}
                    {entry.objectId ? (
                      <Text span c="dimmed" size="xs">
                        {' '}
                        {entry.objectId}
                      </Text>
                    ) : null}
                  </Table.Td>
                  <Table.Td className="mono nowrap">{entry.ip}</Table.Td>
                  <Table.Td className="mono nowrap">{entry.requestId}</Table.Td>
                  <Table.Td>
                    {entry.detail == null ? null : (
                      <ActionIcon
                        color="gray"
                        onClick={() => setDetail(entry)}
                        aria-label={t('audit.detail')}
                        data-testid={`audit-detail-${entry.id}`}
                      >
                        <IconFileText size={16} />
                      </ActionIcon>
                    )}
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
          shown={entries.length}
          onMore={() => void list.fetchNextPage()}
          testid="audit-more"
        />
      ) : null}
      <Modal opened={detail !== null} onClose={() => setDetail(null)} title={t('audit.detailTitle')} size="lg">
        {detail ? (
          <>
            <Text size="xs" c="dimmed" mb={4}>
              {formatDateTime(detail.at, true)} ・ {detail.action} ・ {detail.objectType} {detail.objectId}
            </Text>
            <Code block data-testid="audit-detail-json">
              {JSON.stringify(detail.detail, null, 2)}
            </Code>
          </>
        ) : null}
      </Modal>
    </>
  );
}
