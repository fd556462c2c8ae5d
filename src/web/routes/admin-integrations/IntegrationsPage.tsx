import { ActionIcon, Badge, Group, Stack, Table, Text, Tooltip } from '@mantine/core';
import { IconPencil, IconPlayerPause, IconPlayerPlay, IconTrash } from '@tabler/icons-react';
import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { allItems, pagedQuery } from '../../api/paged';
import type { Page } from '../../api/types';
import { useUserDirectory } from '../../api/userDirectory';
import { ConfirmModal } from '../../components/ConfirmModal';
import { CopyField } from '../../components/CopyField';
import { FnButton } from '../../components/fkeys';
import { MoreButton } from '../../components/MoreButton';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { formatDateTime } from '../../lib/datetime';
import { notifyError, notifySuccess } from '../../lib/notify';
import { deleteIntegration, type Integration, integrationsKey, setIntegrationEnabled } from './api';
import { IntegrationFormModal } from './IntegrationFormModal';

/** 電話連携: the tenant's Twilio accounts whose status callbacks feed the screen pop (admins). */
export function IntegrationsPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const { nameOf } = useUserDirectory();
  const [editing, setEditing] = useState<Integration | null>(null);
  const [formOpened, setFormOpened] = useState(false);
  const [removing, setRemoving] = useState<Integration | null>(null);
  const list = useInfiniteQuery(pagedQuery<Page<Integration>>(integrationsKey, '/telephony/integrations'));
  const items = allItems(list.data?.pages);
  const refresh = () => queryClient.invalidateQueries({ queryKey: integrationsKey });

  const openForm = (integration: Integration | null) => {
    setEditing(integration);
    setFormOpened(true);
  };

  const toggle = async (integration: Integration) => {
    try {
      await setIntegrationEnabled(integration.id, !integration.enabled);
      await refresh();
      notifySuccess(integration.enabled ? t('integ.disabledDone') : t('integ.enabledDone'));
    } catch (error) {
      notifyError(error);
    }
  };

  const remove = async () => {
    if (!removing) return;
    await deleteIntegration(removing.id);
    await refresh();
    notifySuccess(t('integ.removedDone'));
  };

  return (
    <>
      <PageHeader title={t('integ.title')}>
        <FnButton fkey="F5" variant="default" onClick={() => void list.refetch()} testid="integ-refresh">
          {t('common.refresh')}
        </FnButton>
        <FnButton fkey="F2" onClick={() => openForm(null)} testid="integ-create">
          {t('integ.create')}
        </FnButton>
      </PageHeader>
      <Text size="xs" c="dimmed" mb={6} maw={900}>
        {t('integ.lead')}
      </Text>
      {list.data ? (
        <Table.ScrollContainer minWidth={980}>
          <Table data-testid="integ-table" verticalSpacing={4}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('integ.name')}</Table.Th>
                <Table.Th>{t('integ.status')}</Table.Th>
                <Table.Th>{t('integ.accountSid')}</Table.Th>
                <Table.Th miw={320}>{t('integ.webhookUrl')}</Table.Th>
                <Table.Th>{t('integ.agents')}</Table.Th>
                <Table.Th>{t('integ.lastEvent')}</Table.Th>
                <Table.Th w={100} aria-label={t('common.actions')} />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.length === 0 ? (
                <Table.Tr>
                  <Table.Td colSpan={7}>
                    <Text size="sm" c="dimmed" ta="center" data-testid="integ-empty">
                      {t('integ.none')}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ) : null}
              {items.map((integration) => (
                <Table.Tr
                  key={integration.id}
                  data-testid={`integ-row-${integration.id}`}
                  c={integration.enabled ? undefined : 'dimmed'}
                  style={{ verticalAlign: 'top' }}
                >
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {integration.name}
                    </Text>
                    <Text size="xs" c="dimmed">
                      Twilio
                    </Text>
                  </Table.Td>
                  <Table.Td className="nowrap">
                    {integration.enabled ? (
                      <Badge color="teal">{t('integ.enabled')}</Badge>
                    ) : (
                      <Badge color="gray">{t('integ.disabled')}</Badge>
                    )}
                  </Table.Td>
                  <Table.Td className="mono nowrap">{integration.accountSid ?? '—'}</Table.Td>
                  <Table.Td>
                    <CopyField value={integration.webhookUrl} testid={`integ-webhook-${integration.id}`} />
                  </Table.Td>
                  <Table.Td>
                    {integration.agents.length === 0 ? (
                      <Text size="xs" c="dimmed">
                        {t('integ.noAgents')}
                      </Text>
                    ) : (
                      <Stack gap={0}>
                        {integration.agents.map((a) => (
                          <Text key={`${a.address}-${a.agentId}`} size="xs" className="nowrap">
                            <span className="mono">{a.address}</span> → {nameOf(a.agentId)}
                          </Text>
                        ))}
                      </Stack>
                    )}
                  </Table.Td>
                  <Table.Td className="nowrap" data-testid={`integ-last-${integration.id}`}>
                    {integration.lastEventAt ? (
                      t('integ.lastEventStatus', {
                        time: formatDateTime(integration.lastEventAt, true),
                        status: integration.lastCallStatus ?? '',
                      })
                    ) : (
                      <Text span size="xs" c="dimmed">
                        {t('integ.lastEventNone')}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Group gap={2} wrap="nowrap">
                      <Tooltip label={t('integ.edit')}>
                        <ActionIcon
                          variant="subtle"
                          onClick={() => openForm(integration)}
                          aria-label={`${t('integ.edit')}: ${integration.name}`}
                          data-testid={`integ-edit-${integration.id}`}
                        >
                          <IconPencil size={16} />
                        </ActionIcon>
                      </Tooltip>
                      <Tooltip label={integration.enabled ? t('integ.disable') : t('integ.enable')}>
                        <ActionIcon
                          variant="subtle"
                          color={integration.enabled ? 'orange' : 'teal'}
                          onClick={() => void toggle(integration)}
                          aria-label={`${integration.enabled ? t('integ.disable') : t('integ.enable')}: ${integration.name}`}
                          data-testid={`integ-toggle-${integration.id}`}
                        >
                          {integration.enabled ? <IconPlayerPause size={16} /> : <IconPlayerPlay size={16} />}
                        </ActionIcon>
                      </Tooltip>
                      <Tooltip label={t('integ.remove')}>
                        <ActionIcon
                          variant="subtle"
                          color="red"
                          onClick={() => setRemoving(integration)}
                          aria-label={`${t('integ.remove')}: ${integration.name}`}
                          data-testid={`integ-remove-${integration.id}`}
                        >
                          <IconTrash size={16} />
                        </ActionIcon>
                      </Tooltip>
                    </Group>
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
          shown={items.length}
          onMore={() => void list.fetchNextPage()}
          testid="integ-more"
        />
      ) : null}
      <IntegrationFormModal
        editing={editing}
        opened={formOpened}
        onClose={() => setFormOpened(false)}
        onSaved={() => {
          setFormOpened(false);
          void refresh();
        }}
      />
      <ConfirmModal
        opened={removing !== null}
        title={t('integ.remove')}
        message={t('integ.removeConfirm', { name: removing?.name ?? '' })}
        confirmLabel={t('integ.remove')}
        onClose={() => setRemoving(null)}
        onConfirm={remove}
      />
    </>
  );
}
