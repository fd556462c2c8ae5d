import { Badge, Paper, Select, Table, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { allItems, pagedQuery } from '../../api/paged';
import { JOB_STATES, type JobState, type JobsAnswer } from '../../api/types';
import { FnButton } from '../../components/fkeys';
import { MoreButton } from '../../components/MoreButton';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { formatDateTime } from '../../lib/datetime';
import { SchedulesTable } from './SchedulesTable';

const STATE_COLORS: Record<JobState, string> = {
  created: 'blue',
  retry: 'yellow',
  active: 'indigo',
  completed: 'teal',
  cancelled: 'gray',
  failed: 'red',
};

function isJobState(value: string): value is JobState {
  return (JOB_STATES as readonly string[]).includes(value);
}

function StateBadge({ state }: { state: string }) {
  const { t } = useTranslation();
  if (!isJobState(state)) return <Badge color="gray">{state}</Badge>;
  return <Badge color={STATE_COLORS[state]}>{t(`jobs.states.${state}`)}</Badge>;
}

function summarise(output: unknown): string {
  if (output == null) return '';
  const text = typeof output === 'string' ? output : JSON.stringify(output);
  return text.length > 140 ? `${text.slice(0, 140)}…` : text;
}

export function JobsPage() {
  const { t } = useTranslation();
  const [state, setState] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [debouncedName] = useDebouncedValue(name.trim(), 300);
  const list = useInfiniteQuery(
    pagedQuery<JobsAnswer>(['admin', 'jobs'], '/admin/jobs', { state, name: debouncedName }),
  );
  const jobs = allItems(list.data?.pages);
  const schedules = list.data?.pages[0]?.schedules ?? [];

  return (
    <>
      <PageHeader title={t('jobs.title')}>
        <Select
          placeholder={t('jobs.state')}
          aria-label={t('jobs.state')}
          data={JOB_STATES.map((value) => ({ value, label: t(`jobs.states.${value}`) }))}
          value={state}
          onChange={setState}
          clearable
          allowDeselect
          w={150}
          data-testid="jobs-state"
        />
        <TextInput
          placeholder={t('jobs.name')}
          aria-label={t('jobs.name')}
          value={name}
          onChange={(event) => setName(event.currentTarget.value)}
          w={180}
          data-testid="jobs-name"
        />
        <FnButton
          fkey="F5"
          variant="default"
          onClick={() => void list.refetch()}
          loading={list.isRefetching}
          testid="jobs-refresh"
        >
          {t('common.refresh')}
        </FnButton>
      </PageHeader>

      {list.data ? (
        <>
          <Paper withBorder p="sm" mb="sm">
            <Title order={2} mb={6}>
              {t('jobs.schedules')}
            </Title>
            <SchedulesTable schedules={schedules} />
          </Paper>
          <Title order={2} mb={6}>
            {t('jobs.queue')}
          </Title>
          <Table.ScrollContainer minWidth={900}>
            <Table data-testid="jobs-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('jobs.name')}</Table.Th>
                  <Table.Th>{t('jobs.state')}</Table.Th>
                  <Table.Th>{t('jobs.createdAt')}</Table.Th>
                  <Table.Th>{t('jobs.startedAt')}</Table.Th>
                  <Table.Th>{t('jobs.completedAt')}</Table.Th>
                  <Table.Th className="num">{t('jobs.retryCount')}</Table.Th>
                  <Table.Th>{t('jobs.output')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {jobs.length === 0 ? (
                  <Table.Tr>
                    <Table.Td colSpan={7}>
                      <Text size="sm" c="dimmed" ta="center">
                        {t('common.noData')}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                ) : null}
                {jobs.map((job) => (
                  <Table.Tr key={job.id} data-testid={`job-row-${job.id}`}>
                    <Table.Td className="mono">{job.name}</Table.Td>
                    <Table.Td>
                      <StateBadge state={job.state} />
                    </Table.Td>
                    <Table.Td className="nowrap">{formatDateTime(job.createdAt, true)}</Table.Td>
                    <Table.Td className="nowrap">{formatDateTime(job.startedAt, true)}</Table.Td>
                    <Table.Td className="nowrap">{formatDateTime(job.completedAt, true)}</Table.Td>
                    <Table.Td className="num">{job.retryCount}</Table.Td>
                    <Table.Td
                      className="mono"
                      title={summarise(job.output)}
                      maw={360}
                      style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}
                    >
                      {summarise(job.output)}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <MoreButton
            hasMore={list.hasNextPage}
            loading={list.isFetchingNextPage}
            shown={jobs.length}
            onMore={() => void list.fetchNextPage()}
            testid="jobs-more"
          />
        </>
      ) : (
        <QueryState error={list.error} onRetry={() => void list.refetch()} />
      )}
    </>
  );
}
