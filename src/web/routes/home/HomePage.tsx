import { Badge, Group, Kbd, Paper, SimpleGrid, Stack, Table, Text, Title, UnstyledButton } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../api/auth';
import { holidaysQuery } from '../../api/calendar';
import { QueryState } from '../../components/QueryState';
import { addDays, formatDate, todayInTokyo } from '../../lib/datetime';
import { screensFor } from '../../lib/screens';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import classes from './HomePage.module.css';

export function HomePage() {
  const { t, i18n } = useTranslation();
  useDocumentTitle(t('nav.home'));
  const me = useMe();
  const today = todayInTokyo();
  const holidays = useQuery(holidaysQuery(today, addDays(today, 90)));
  const shortcuts = screensFor(me).filter((screen) => screen.id !== 'home');

  return (
    <Stack gap="sm" maw={1100}>
      <div>
        <Title order={1} data-testid="home-greeting">
          {t('home.greeting', { name: me.name })}
        </Title>
        <Text size="sm" c="dimmed">
          {me.tenant.name} ・ {t('home.today', { date: formatDate(today, i18n.language) })} ・ {t(`roles.${me.role}`)}
        </Text>
      </div>

      <Paper withBorder p="sm">
        <Title order={2} mb={6}>
          {t('home.shortcuts')}
        </Title>
        <SimpleGrid cols={{ base: 2, sm: 3, md: 6 }} spacing={6}>
          {shortcuts.map((screen) => (
            <UnstyledButton
              key={screen.id}
              component={Link}
              to={screen.to}
              className={classes.shortcut}
              data-testid={`home-shortcut-${screen.id}`}
            >
              <screen.icon size={18} stroke={1.6} />
              <Text size="sm">{t(`nav.${screen.id}`)}</Text>
            </UnstyledButton>
          ))}
        </SimpleGrid>
      </Paper>

      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm">
        <Paper withBorder p="sm">
          <Title order={2} mb={6}>
            {t('home.holidays')}
          </Title>
          {holidays.data ? (
            holidays.data.items.length === 0 ? (
              <Text size="sm" c="dimmed">
                {t('home.holidaysEmpty')}
              </Text>
            ) : (
              <Table data-testid="home-holidays" striped={false}>
                <Table.Tbody>
                  {holidays.data.items.map((day) => (
                    <Table.Tr key={`${day.kind}-${day.date}`}>
                      <Table.Td className="nowrap">{formatDate(day.date, i18n.language)}</Table.Td>
                      <Table.Td>
                        <Badge color={day.kind === 'closing' ? 'orange' : 'red'}>
                          {t(day.kind === 'closing' ? 'home.closing' : 'home.national')}
                        </Badge>
                      </Table.Td>
                      <Table.Td>{day.name}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )
          ) : (
            <QueryState error={holidays.error} onRetry={() => void holidays.refetch()} />
          )}
        </Paper>
        <Paper withBorder p="sm">
          <Title order={2} mb={6}>
            {t('home.keyboard')}
          </Title>
          <Stack gap={6}>
            <Group gap="xs">
              <Kbd size="xs">Ctrl</Kbd>+<Kbd size="xs">K</Kbd>
              <Text size="sm">{t('home.kbPalette')}</Text>
            </Group>
            <Group gap="xs">
              <Kbd size="xs">/</Kbd>
              <Text size="sm">{t('home.kbSlash')}</Text>
            </Group>
            <Group gap="xs">
              <Kbd size="xs">F1</Kbd>
              <Text size="sm">{t('home.kbSave')}</Text>
            </Group>
          </Stack>
        </Paper>
      </SimpleGrid>
    </Stack>
  );
}
