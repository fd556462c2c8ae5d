import { Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { JobSchedule } from '../../api/types';

export function SchedulesTable({ schedules }: { schedules: JobSchedule[] }) {
  const { t } = useTranslation();
  if (schedules.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        {t('jobs.noSchedules')}
      </Text>
    );
  }
  return (
    <Table data-testid="schedules-table">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('jobs.name')}</Table.Th>
          <Table.Th>{t('jobs.cron')}</Table.Th>
          <Table.Th>{t('jobs.timezone')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {schedules.map((schedule) => (
          <Table.Tr key={schedule.name} data-testid={`schedule-row-${schedule.name}`}>
            <Table.Td className="mono">{schedule.name}</Table.Td>
            <Table.Td className="mono">{schedule.cron}</Table.Td>
            <Table.Td>{schedule.timezone}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
