import {
  Badge,
  Button,
  Group,
  NativeSelect,
  Paper,
  ScrollArea,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  UnstyledButton,
} from '@mantine/core';
import { IconAlarm, IconList } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../api/auth';
import { type BoardItem, boardQuery, groupsQuery } from '../../api/cases';
import { FnButton } from '../../components/fkeys';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { formatDateTime } from '../../lib/datetime';
import { formatDuration } from '../../lib/tokyo';
import classes from './CaseBoard.module.css';

function CaseCard({ item }: { item: BoardItem }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const units = (key: 'units.d' | 'units.h' | 'units.m', opts: { n: number }) => t(key, opts);
  return (
    <UnstyledButton
      className={classes.card}
      data-overdue={item.overdue ? 'true' : 'false'}
      data-testid={`board-card-${item.id}`}
      onClick={() => void navigate({ to: '/cases/$caseId', params: { caseId: item.id } })}
    >
      <Group justify="space-between" gap={4} wrap="nowrap">
        <Text size="xs" c="dimmed" className="mono">
          #{item.number}
        </Text>
        {item.overdue ? (
          <Badge color="red" variant="filled" leftSection={<IconAlarm size={11} />}>
            {t('cases.overdueBy', { time: formatDuration(item.overdueSeconds, units) })}
          </Badge>
        ) : null}
      </Group>
      <Text size="sm" fw={600} lineClamp={2}>
        {item.title}
      </Text>
      {item.customer ? (
        <Text size="xs" truncate>
          {item.customer.name} <span className="mono">{item.customer.code}</span>
        </Text>
      ) : null}
      <Text size="xs" c="dimmed" truncate>
        {[item.assignee?.name, item.group?.name].filter(Boolean).join(' / ')}
      </Text>
      <Group justify="space-between" gap={4} wrap="nowrap">
        <Text size="xs" c={item.overdue ? 'red.8' : undefined} fw={item.overdue ? 700 : 400}>
          {t('cases.due')} {formatDateTime(item.dueAt)}
        </Text>
        <Text size="xs" c="dimmed">
          {t('cases.age')} {formatDuration(item.ageSeconds, units)}
        </Text>
      </Group>
    </UnstyledButton>
  );
}

/** 案件ボード (status watch): open cases by status, most urgent first, overdue ones red; refreshed every 30 s. */
export function CaseBoardPage() {
  const { t } = useTranslation();
  const me = useMe();
  const [mine, setMine] = useState(false);
  const [groupId, setGroupId] = useState('');
  const groups = useQuery(groupsQuery);
  const board = useQuery(boardQuery({ ...(mine ? { assigneeId: me.id } : {}), ...(groupId ? { groupId } : {}) }));

  return (
    <>
      <PageHeader title={t('cases.boardTitle')}>
        {board.data ? (
          <>
            <Badge size="lg" variant="light" data-testid="board-total">
              {t('cases.total', { count: board.data.total })}
            </Badge>
            <Badge
              size="lg"
              color="red"
              variant={board.data.overdue > 0 ? 'filled' : 'light'}
              data-testid="board-overdue"
            >
              {t('cases.overdueCount', { count: board.data.overdue })}
            </Badge>
          </>
        ) : null}
        <Button component={Link} to="/cases/list" variant="default" leftSection={<IconList size={14} />}>
          {t('cases.listTitle')}
        </Button>
        <FnButton fkey="F5" variant="default" onClick={() => void board.refetch()} testid="board-refresh">
          {t('common.refresh')}
        </FnButton>
      </PageHeader>
      <Group gap="md" mb="xs">
        <Switch
          label={t('cases.mine')}
          checked={mine}
          onChange={(event) => setMine(event.currentTarget.checked)}
          data-testid="board-mine"
        />
        <NativeSelect
          aria-label={t('cases.group')}
          value={groupId}
          onChange={(event) => setGroupId(event.currentTarget.value)}
          data={[
            { value: '', label: t('cases.allGroups') },
            ...(groups.data?.items ?? []).map((g) => ({ value: g.id, label: g.name })),
          ]}
          data-testid="board-group"
        />
        {board.data ? (
          <Text size="xs" c="dimmed">
            {t('cases.autoRefresh', { time: formatDateTime(board.data.now) })}
          </Text>
        ) : null}
      </Group>
      {board.data ? (
        <SimpleGrid cols={{ base: 1, md: 3 }} spacing="xs" data-testid="board">
          {board.data.columns.map((column) => (
            <Paper
              key={column.status}
              withBorder
              p={6}
              className={classes.column}
              data-testid={`board-column-${column.status}`}
            >
              <Group justify="space-between" mb={6} px={2}>
                <Text fw={700} size="sm">
                  {t(`cases.statuses.${column.status}`)}
                  <Text span size="xs" c="dimmed" ml={6}>
                    {t('common.count', { count: column.count })}
                  </Text>
                </Text>
                {column.overdue > 0 ? (
                  <Badge color="red">{t('cases.overdueCount', { count: column.overdue })}</Badge>
                ) : null}
              </Group>
              <ScrollArea.Autosize mah="calc(100vh - 210px)">
                <Stack gap={6}>
                  {column.items.length === 0 ? (
                    <Text size="xs" c="dimmed" ta="center" py="sm">
                      {t('cases.empty')}
                    </Text>
                  ) : null}
                  {column.items.map((item) => (
                    <CaseCard key={item.id} item={item} />
                  ))}
                  {column.count > column.items.length ? (
                    <Text size="xs" c="dimmed" ta="center">
                      {t('cases.more', { count: column.count - column.items.length })}
                    </Text>
                  ) : null}
                </Stack>
              </ScrollArea.Autosize>
            </Paper>
          ))}
        </SimpleGrid>
      ) : (
        <QueryState error={board.error} onRetry={() => void board.refetch()} />
      )}
    </>
  );
}
