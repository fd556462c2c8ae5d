import { ActionIcon, Button, Group, Indicator, Popover, ScrollArea, Stack, Text, UnstyledButton } from '@mantine/core';
import { IconBell } from '@tabler/icons-react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useRouter } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  type AppNotification,
  markAllRead,
  markRead,
  notificationsKey,
  recentNotificationsQuery,
  unreadCountQuery,
} from '../../api/notifications';
import { formatDateTime } from '../../lib/datetime';
import { notifyError } from '../../lib/notify';

/** The header's bell: unread count (polled), the latest notifications, mark read, open the link. */
export function NotificationsBell() {
  const { t } = useTranslation();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [opened, setOpened] = useState(false);
  const unread = useQuery(unreadCountQuery);
  const recent = useQuery({ ...recentNotificationsQuery, enabled: opened });
  const count = unread.data?.count ?? 0;
  const refresh = () => queryClient.invalidateQueries({ queryKey: notificationsKey });

  const openItem = async (item: AppNotification) => {
    setOpened(false);
    try {
      if (!item.readAt) await markRead(item.id);
    } catch (error) {
      notifyError(error);
    }
    void refresh();
    if (item.link?.startsWith('/') && !item.link.startsWith('//')) router.history.push(item.link);
  };

  const readAll = async () => {
    try {
      await markAllRead();
    } catch (error) {
      notifyError(error);
    }
    void refresh();
  };

  return (
    <Popover opened={opened} onChange={setOpened} width={380} position="bottom-end" shadow="md" withinPortal>
      <Popover.Target>
        <Indicator
          label={count > 99 ? '99+' : count}
          size={16}
          color="red"
          disabled={count === 0}
          offset={4}
          data-testid="notifications-count"
          data-count={count}
        >
          <ActionIcon
            size="md"
            variant="subtle"
            color="gray"
            onClick={() => setOpened((o) => !o)}
            aria-label={t('notifications.open', { count })}
            data-testid="notifications-bell"
          >
            <IconBell size={18} />
          </ActionIcon>
        </Indicator>
      </Popover.Target>
      <Popover.Dropdown p={6} data-testid="notifications-panel">
        <Group justify="space-between" mb={4}>
          <Text size="sm" fw={700}>
            {t('notifications.title')}
          </Text>
          <Button
            variant="subtle"
            size="compact-xs"
            onClick={readAll}
            disabled={count === 0}
            data-testid="notifications-read-all"
          >
            {t('notifications.readAll')}
          </Button>
        </Group>
        <ScrollArea.Autosize mah={420}>
          <Stack gap={2}>
            {(recent.data?.items ?? []).length === 0 ? (
              <Text size="xs" c="dimmed" ta="center" p="sm">
                {recent.isLoading ? t('app.loading') : t('notifications.empty')}
              </Text>
            ) : null}
            {(recent.data?.items ?? []).map((item) => (
              <UnstyledButton
                key={item.id}
                onClick={() => void openItem(item)}
                p={6}
                bg={item.readAt ? undefined : 'indigo.0'}
                style={{ borderRadius: 4 }}
                data-testid={`notification-item-${item.id}`}
                data-read={item.readAt ? 'true' : 'false'}
              >
                <Text size="xs" fw={item.readAt ? 400 : 600}>
                  {item.message}
                </Text>
                <Text size="xs" c="dimmed">
                  {formatDateTime(item.createdAt)}
                </Text>
              </UnstyledButton>
            ))}
          </Stack>
        </ScrollArea.Autosize>
      </Popover.Dropdown>
    </Popover>
  );
}
