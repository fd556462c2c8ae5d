import { ActionIcon, Badge, Table, Text, Tooltip } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconBan } from '@tabler/icons-react';
import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { allItems, pagedQuery } from '../../api/paged';
import type { ApiToken, Page } from '../../api/types';
import { useUserDirectory } from '../../api/userDirectory';
import { ConfirmModal } from '../../components/ConfirmModal';
import { FnButton } from '../../components/fkeys';
import { MoreButton } from '../../components/MoreButton';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { formatDateTime } from '../../lib/datetime';
import { notifySuccess } from '../../lib/notify';
import { CreateTokenModal } from './CreateTokenModal';

const tokensKey = ['tokens'] as const;

export function TokensPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [createOpened, createModal] = useDisclosure(false);
  const [revoking, setRevoking] = useState<ApiToken | null>(null);
  const list = useInfiniteQuery(pagedQuery<Page<ApiToken>>(tokensKey, '/tokens'));
  const tokens = allItems(list.data?.pages);
  const { nameOf } = useUserDirectory();

  const revoke = async () => {
    if (!revoking) return;
    await api.del<void>(`/tokens/${encodeURIComponent(revoking.id)}`);
    await queryClient.invalidateQueries({ queryKey: tokensKey });
    notifySuccess(t('tokens.revokedDone'));
  };

  return (
    <>
      <PageHeader title={t('tokens.title')}>
        <FnButton fkey="F5" variant="default" onClick={() => void list.refetch()} testid="tokens-refresh">
          {t('common.refresh')}
        </FnButton>
        <FnButton fkey="F2" onClick={createModal.open} testid="tokens-create">
          {t('tokens.create')}
        </FnButton>
      </PageHeader>
      <Text size="xs" c="dimmed" mb={6}>
        {t('tokens.lead')}
      </Text>
      {list.data ? (
        <Table.ScrollContainer minWidth={760}>
          <Table data-testid="tokens-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('tokens.name')}</Table.Th>
                <Table.Th>{t('tokens.prefix')}</Table.Th>
                <Table.Th>{t('tokens.role')}</Table.Th>
                <Table.Th>{t('tokens.status')}</Table.Th>
                <Table.Th>{t('tokens.createdAt')}</Table.Th>
                <Table.Th>{t('tokens.createdBy')}</Table.Th>
                <Table.Th>{t('tokens.lastUsed')}</Table.Th>
                <Table.Th w={40} aria-label={t('common.actions')} />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {tokens.length === 0 ? (
                <Table.Tr>
                  <Table.Td colSpan={8}>
                    <Text size="sm" c="dimmed" ta="center">
                      {t('common.noData')}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ) : null}
              {tokens.map((token) => (
                <Table.Tr
                  key={token.id}
                  data-testid={`token-row-${token.id}`}
                  c={token.revokedAt ? 'dimmed' : undefined}
                >
                  <Table.Td>{token.name}</Table.Td>
                  <Table.Td className="mono nowrap">{token.prefix}…</Table.Td>
                  <Table.Td className="nowrap">{t(`roles.${token.role}`)}</Table.Td>
                  <Table.Td className="nowrap">
                    {token.revokedAt ? (
                      <Badge color="gray">{t('tokens.revoked', { time: formatDateTime(token.revokedAt) })}</Badge>
                    ) : (
                      <Badge color="teal">{t('tokens.active')}</Badge>
                    )}
                  </Table.Td>
                  <Table.Td className="nowrap">{formatDateTime(token.createdAt)}</Table.Td>
                  <Table.Td>{nameOf(token.createdBy)}</Table.Td>
                  <Table.Td className="nowrap">
                    {token.lastUsedAt ? (
                      formatDateTime(token.lastUsedAt)
                    ) : (
                      <Text span size="xs" c="dimmed">
                        {t('tokens.neverUsed')}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    {token.revokedAt ? null : (
                      <Tooltip label={t('tokens.revoke')}>
                        <ActionIcon
                          color="red"
                          onClick={() => setRevoking(token)}
                          aria-label={`${t('tokens.revoke')}: ${token.name}`}
                          data-testid={`token-revoke-${token.id}`}
                        >
                          <IconBan size={16} />
                        </ActionIcon>
                      </Tooltip>
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
          shown={tokens.length}
          onMore={() => void list.fetchNextPage()}
          testid="tokens-more"
        />
      ) : null}
      <CreateTokenModal
        opened={createOpened}
        onClose={createModal.close}
        onCreated={() => void queryClient.invalidateQueries({ queryKey: tokensKey })}
      />
      <ConfirmModal
        opened={revoking !== null}
        title={t('tokens.revoke')}
        message={t('tokens.revokeConfirm', { name: revoking?.name ?? '' })}
        confirmLabel={t('tokens.revoke')}
        onClose={() => setRevoking(null)}
        onConfirm={revoke}
      />
    </>
  );
}
