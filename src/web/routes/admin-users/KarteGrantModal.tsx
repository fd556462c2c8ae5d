import { Button, Group, Modal, Stack, Switch, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { User } from '../../api/types';
import { FormAlert } from '../../components/FormAlert';
import { QueryState } from '../../components/QueryState';
import { notifySuccess } from '../../lib/notify';

const grantsKey = (id: string) => ['users', 'grants', id] as const;

function KarteGrantForm({ user, onClose }: { user: User; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const path = `/users/${encodeURIComponent(user.id)}/grants`;
  const grants = useQuery({
    queryKey: grantsKey(user.id),
    queryFn: ({ signal }) => api.get<{ grants: string[] }>(path, undefined, signal),
  });
  const granted = grants.data?.grants.includes('karte') ?? false;
  const toggle = useMutation({
    mutationFn: (on: boolean) => (on ? api.put<void>(`${path}/karte`, {}) : api.del<void>(`${path}/karte`)),
    onSuccess: (_void, on) => {
      queryClient.setQueryData(grantsKey(user.id), { grants: on ? ['karte'] : [] });
      notifySuccess(on ? t('karteGrant.granted', { name: user.name }) : t('karteGrant.revoked', { name: user.name }));
    },
  });

  return (
    <Stack gap="xs">
      <Text size="xs" c="dimmed">
        {t('karteGrant.lead')}
      </Text>
      <FormAlert error={toggle.error} />
      {grants.data ? (
        <Switch
          label={t('karteGrant.label')}
          checked={granted}
          disabled={toggle.isPending}
          onChange={(event) => toggle.mutate(event.currentTarget.checked)}
          data-autofocus
          data-testid="user-karte-grant"
        />
      ) : (
        <QueryState error={grants.error} onRetry={() => void grants.refetch()} />
      )}
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose}>
          {t('common.cancel')}
        </Button>
      </Group>
    </Stack>
  );
}

/** カルテ閲覧権限: an operator sees kartes only when an admin grants it (admins and supervisors by role). */
export function KarteGrantModal({ user, onClose }: { user: User | null; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal opened={user !== null} onClose={onClose} title={`${t('karteGrant.title')}: ${user?.name ?? ''}`} size="sm">
      {user ? <KarteGrantForm user={user} onClose={onClose} /> : null}
    </Modal>
  );
}
