import { Badge, Button, Paper, Stack, Table, Text } from '@mantine/core';
import { IconCheck, IconRefresh } from '@tabler/icons-react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { exceptionsQuery, type GenerationException, resolveGenerationException } from '../../api/subscriptionShipments';
import { ConfirmModal } from '../../components/ConfirmModal';
import { FnButton } from '../../components/fkeys';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { formatDateTime } from '../../lib/datetime';
import { notifySuccess } from '../../lib/notify';
import { shortDate } from '../orders/orderFormat';

/**
 * 定期生成エラー: deliveries the generation could not make (a product off sale, short stock, a
 * refused payment). Every run retries them; the operator fixes the cause (or skips the delivery
 * in the customer's 定期情報) and marks the line resolved.
 */
export function SubscriptionExceptionsPage() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const query = useQuery(exceptionsQuery());
  const [resolving, setResolving] = useState<GenerationException | null>(null);
  const items = query.data?.items ?? [];

  return (
    <Stack gap="sm">
      <PageHeader title={t('subship.exceptionsTitle')}>
        <FnButton
          fkey="F5"
          testid="subscription-exceptions-reload"
          leftSection={<IconRefresh size={14} />}
          onClick={() => void query.refetch()}
        >
          {t('subship.reload')}
        </FnButton>
      </PageHeader>
      <Text size="xs" c="dimmed">
        {t('subship.exceptionsHint')}
      </Text>
      {query.data ? (
        <Paper withBorder>
          <Table data-testid="subscription-exceptions" striped highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={90}>{t('subship.subscriptionNumber')}</Table.Th>
                <Table.Th miw={160}>{t('subship.customer')}</Table.Th>
                <Table.Th w={110}>{t('subship.byDelivery')}</Table.Th>
                <Table.Th>{t('subship.reason')}</Table.Th>
                <Table.Th w={70} className="num">
                  {t('subship.attempts')}
                </Table.Th>
                <Table.Th w={150}>{t('subship.lastAttempt')}</Table.Th>
                <Table.Th w={110} />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.length === 0 ? (
                <Table.Tr>
                  <Table.Td colSpan={7}>
                    <Text size="xs" c="dimmed" ta="center">
                      {t('subship.noExceptions')}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ) : null}
              {items.map((x) => (
                <Table.Tr key={x.id} data-testid={`subscription-exception-${x.id}`}>
                  <Table.Td className="mono">#{x.subscriptionNumber}</Table.Td>
                  <Table.Td>
                    <Link
                      to="/customers/$customerId"
                      params={{ customerId: x.customerId }}
                      search={{ tab: 'subscriptions' }}
                    >
                      {x.customerName}
                    </Link>
                  </Table.Td>
                  <Table.Td className="nowrap">{shortDate(x.deliveryDate)}</Table.Td>
                  <Table.Td>
                    <Badge size="xs" color="red" variant="light" mr={6}>
                      {x.code}
                    </Badge>
                    <Text span size="xs">
                      {x.message}
                    </Text>
                  </Table.Td>
                  <Table.Td className="num">{x.attempts}</Table.Td>
                  <Table.Td className="nowrap">{formatDateTime(x.lastAt)}</Table.Td>
                  <Table.Td>
                    <Button
                      size="compact-xs"
                      variant="light"
                      leftSection={<IconCheck size={12} />}
                      onClick={() => setResolving(x)}
                    >
                      {t('subship.resolve')}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
      ) : (
        <QueryState error={query.error} onRetry={() => void query.refetch()} />
      )}
      <ConfirmModal
        opened={resolving !== null}
        title={t('subship.resolve')}
        message={t('subship.resolveConfirm', {
          number: resolving?.subscriptionNumber ?? '',
          date: resolving ? shortDate(resolving.deliveryDate) : '',
        })}
        confirmLabel={t('subship.resolve')}
        color="blue"
        onClose={() => setResolving(null)}
        onConfirm={async () => {
          if (!resolving) return;
          await resolveGenerationException(resolving.id);
          notifySuccess(t('subship.resolved'));
          setResolving(null);
          await qc.invalidateQueries({ queryKey: exceptionsQuery().queryKey });
        }}
      />
    </Stack>
  );
}
