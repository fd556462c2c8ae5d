import { Group, Paper, SegmentedControl, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { holidaysQuery } from '../../api/calendar';
import { QueryState } from '../../components/QueryState';
import { formatDate, todayInTokyo } from '../../lib/datetime';

/** National holidays of a year, read-only, to plan closing days around them. */
export function NationalHolidays() {
  const { t, i18n } = useTranslation();
  const thisYear = Number(todayInTokyo().slice(0, 4));
  const [year, setYear] = useState(thisYear);
  const holidays = useQuery(holidaysQuery(`${year}-01-01`, `${year}-12-31`));
  const national = (holidays.data?.items ?? []).filter((day) => day.kind === 'national');

  return (
    <Paper withBorder p="sm">
      <Group justify="space-between" mb={6}>
        <Title order={2}>{t('settings.national', { year })}</Title>
        <SegmentedControl
          value={String(year)}
          onChange={(value) => setYear(Number(value))}
          data={[String(thisYear), String(thisYear + 1)]}
          data-testid="holidays-year"
        />
      </Group>
      {holidays.data ? (
        <Table data-testid="holidays-list">
          <Table.Tbody>
            {national.length === 0 ? (
              <Table.Tr>
                <Table.Td>
                  <Text size="sm" c="dimmed">
                    {t('common.noData')}
                  </Text>
                </Table.Td>
              </Table.Tr>
            ) : null}
            {national.map((day) => (
              <Table.Tr key={day.date}>
                <Table.Td className="nowrap" w={150}>
                  {formatDate(day.date, i18n.language)}
                </Table.Td>
                <Table.Td>{day.name}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : (
        <QueryState error={holidays.error} onRetry={() => void holidays.refetch()} />
      )}
    </Paper>
  );
}
