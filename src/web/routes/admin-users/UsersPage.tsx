import { Badge, Group, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue, useDisclosure } from '@mantine/hooks';
import { IconSearch } from '@tabler/icons-react';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useSearch } from '@tanstack/react-router';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../api/auth';
import { api } from '../../api/client';
import { allItems, pagedQuery } from '../../api/paged';
import type { Page, User } from '../../api/types';
import { FnButton, useFnKey } from '../../components/fkeys';
import { MoreButton } from '../../components/MoreButton';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { formatDateTime, isFuture } from '../../lib/datetime';
import { CreateUserModal } from './CreateUserModal';
import { useUserDialogs } from './UserDialogs';
import { UserRowMenu } from './UserRowMenu';
import { usersKey } from './usersApi';

function StatusBadges({ user }: { user: User }) {
  const { t } = useTranslation();
  return (
    <Group gap={4} wrap="nowrap">
      {user.active ? (
        <Badge color="teal">{t('users.active')}</Badge>
      ) : (
        <Badge color="gray">{t('users.inactive')}</Badge>
      )}
      {isFuture(user.lockedUntil) ? (
        <Badge color="orange" title={t('users.lockedUntil', { time: formatDateTime(user.lockedUntil) })}>
          {t('users.locked')}
        </Badge>
      ) : null}
      {user.mustChangePassword ? <Badge color="yellow">{t('users.mustChange')}</Badge> : null}
    </Group>
  );
}

export function UsersPage() {
  const { t } = useTranslation();
  const me = useMe();
  const [q, setQ] = useState('');
  const { focus } = useSearch({ strict: false });
  const focused = useQuery({
    queryKey: ['users', 'one', focus],
    queryFn: ({ signal }) => api.get<User>(`/users/${encodeURIComponent(focus ?? '')}`, undefined, signal),
    enabled: Boolean(focus),
  });
  const focusedEmail = focused.data?.email;
  useEffect(() => {
    if (focusedEmail) setQ(focusedEmail);
  }, [focusedEmail]);
  const [debounced] = useDebouncedValue(q.trim(), 250);
  const [createOpened, createModal] = useDisclosure(false);
  const list = useInfiniteQuery(pagedQuery<Page<User>>(usersKey, '/users', { q: debounced }));
  const users = allItems(list.data?.pages);
  const { dialogs, onAction } = useUserDialogs();
  const searchRef = useRef<HTMLInputElement>(null);
  useFnKey('F3', () => searchRef.current?.select());

  return (
    <>
      <PageHeader title={t('users.title')}>
        <TextInput
          ref={searchRef}
          placeholder={`F3 ${t('users.search')}`}
          leftSection={<IconSearch size={14} />}
          value={q}
          onChange={(event) => setQ(event.currentTarget.value)}
          w={240}
          aria-label={t('users.search')}
          data-testid="users-search"
        />
        <FnButton fkey="F5" variant="default" onClick={() => void list.refetch()} testid="users-refresh">
          {t('common.refresh')}
        </FnButton>
        <FnButton fkey="F2" onClick={createModal.open} testid="users-create">
          {t('users.create')}
        </FnButton>
      </PageHeader>

      {list.data ? (
        <Table.ScrollContainer minWidth={860}>
          <Table data-testid="users-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('users.name')}</Table.Th>
                <Table.Th>{t('users.email')}</Table.Th>
                <Table.Th>{t('users.role')}</Table.Th>
                <Table.Th>{t('users.status')}</Table.Th>
                <Table.Th>{t('users.totp')}</Table.Th>
                <Table.Th>{t('users.lastLogin')}</Table.Th>
                <Table.Th w={40} aria-label={t('common.actions')} />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {users.length === 0 ? (
                <Table.Tr>
                  <Table.Td colSpan={7}>
                    <Text size="sm" c="dimmed" ta="center">
                      {t('common.noData')}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ) : null}
              {users.map((user) => (
                <Table.Tr
                  key={user.id}
                  data-testid={`user-row-${user.id}`}
                  data-email={user.email}
                  c={user.active ? undefined : 'dimmed'}
                  bg={user.id === focus ? 'yellow.0' : undefined}
                >
                  <Table.Td className="nowrap">
                    {user.name}
                    {user.id === me.id ? (
                      <Text span size="xs" c="dimmed">
                        {t('users.you')}
                      </Text>
                    ) : null}
                  </Table.Td>
                  <Table.Td>{user.email}</Table.Td>
                  <Table.Td className="nowrap">{t(`roles.${user.role}`)}</Table.Td>
                  <Table.Td>
                    <StatusBadges user={user} />
                  </Table.Td>
                  <Table.Td>
                    <Badge color={user.totpEnabled ? 'teal' : 'gray'} variant="outline">
                      {user.totpEnabled ? t('common.on') : t('common.off')}
                    </Badge>
                  </Table.Td>
                  <Table.Td className="nowrap">
                    {user.lastLoginAt ? (
                      formatDateTime(user.lastLoginAt)
                    ) : (
                      <Text span size="xs" c="dimmed">
                        {t('users.never')}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <UserRowMenu user={user} isSelf={user.id === me.id} onAction={onAction} />
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
          shown={users.length}
          onMore={() => void list.fetchNextPage()}
          testid="users-more"
        />
      ) : null}
      <CreateUserModal opened={createOpened} onClose={createModal.close} />
      {dialogs}
    </>
  );
}
