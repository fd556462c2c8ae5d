import { Alert, Badge, Button, Group, Modal, Radio, Select, Stack, Table, Text } from '@mantine/core';
import { IconArrowsJoin } from '@tabler/icons-react';
import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type DuplicateCustomer, type DuplicatePair, mergeCustomers } from '../../api/crmAdmin';
import { allItems, pagedQuery } from '../../api/paged';
import type { Page } from '../../api/types';
import { FormAlert } from '../../components/FormAlert';
import { FnButton } from '../../components/fkeys';
import { MoreButton } from '../../components/MoreButton';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { formatDateTime } from '../../lib/datetime';
import { notifySuccess } from '../../lib/notify';

const ROWS: { key: keyof DuplicateCustomer; label: string }[] = [
  { key: 'code', label: 'customers.code' },
  { key: 'name', label: 'customers.name' },
  { key: 'nameKana', label: 'customers.kana' },
  { key: 'phones', label: 'customers.phones' },
  { key: 'postalCode', label: 'customerForm.postalCode' },
  { key: 'prefecture', label: 'customerForm.prefecture' },
  { key: 'city', label: 'customerForm.city' },
  { key: 'address1', label: 'customerForm.address1' },
  { key: 'createdAt', label: 'crmAdmin.duplicates.createdAt' },
];

function show(c: DuplicateCustomer, key: keyof DuplicateCustomer): string {
  const v = c[key];
  if (Array.isArray(v)) return v.join(', ');
  if (key === 'createdAt') return formatDateTime(String(v));
  return v === null ? '' : String(v);
}

/** Side by side: the two records, differences marked; pick the one to keep, then confirm. */
function MergeModal({ pair, onClose }: { pair: DuplicatePair | null; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [keep, setKeep] = useState<string>('');
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<unknown>(null);
  useEffect(() => {
    // The older record is kept by default: its code is the one the customer knows.
    setKeep(pair?.customers[0].id ?? '');
    setConfirming(false);
    setProblem(null);
  }, [pair]);
  if (!pair) return null;
  const [a, b] = pair.customers;
  const kept = keep === a.id ? a : b;
  const merged = keep === a.id ? b : a;
  const merge = async () => {
    setBusy(true);
    setProblem(null);
    try {
      const answer = await mergeCustomers(kept.id, merged.id);
      const moved = Object.values(answer.moved).reduce((sum, n) => sum + n, 0);
      notifySuccess(t('crmAdmin.duplicates.merged', { kept: kept.code, merged: merged.code, moved }));
      await queryClient.invalidateQueries({ queryKey: ['customers'] });
      onClose();
    } catch (error) {
      setProblem(error);
      setConfirming(false);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal opened onClose={onClose} size="xl" title={t('crmAdmin.duplicates.compare')}>
      <Stack gap={8} data-testid="merge-modal">
        <FormAlert error={problem} />
        <Radio.Group value={keep} onChange={setKeep} name="keep">
          <Table withColumnBorders data-testid="merge-compare">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={120} />
                {[a, b].map((c) => (
                  <Table.Th key={c.id}>
                    <Radio
                      value={c.id}
                      label={t('crmAdmin.duplicates.keepThis')}
                      data-testid={`merge-keep-${c.code}`}
                    />
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {ROWS.map((row) => {
                const differs = show(a, row.key) !== show(b, row.key);
                return (
                  <Table.Tr key={row.key}>
                    <Table.Td fw={700}>{t(row.label as 'customers.code')}</Table.Td>
                    {[a, b].map((c) => (
                      <Table.Td key={c.id} bg={differs ? 'yellow.0' : undefined}>
                        {show(c, row.key)}
                      </Table.Td>
                    ))}
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Radio.Group>
        <Alert color={confirming ? 'red' : 'blue'} p="xs" data-testid="merge-explain">
          {t('crmAdmin.duplicates.explain', {
            kept: `${kept.code} ${kept.name}`,
            merged: `${merged.code} ${merged.name}`,
          })}
        </Alert>
        <Group justify="flex-end" gap={6}>
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          {confirming ? (
            <FnButton fkey="F1" color="red" onClick={() => void merge()} loading={busy} testid="merge-confirm">
              {t('crmAdmin.duplicates.confirmMerge')}
            </FnButton>
          ) : (
            <FnButton fkey="F1" onClick={() => setConfirming(true)} testid="merge-next">
              {t('crmAdmin.duplicates.merge')}
            </FnButton>
          )}
        </Group>
      </Stack>
    </Modal>
  );
}

/** 重複顧客: likely duplicate pairs (same phone, or same name at the same address) and their merge. */
export function DuplicatesPage() {
  const { t } = useTranslation();
  const [reason, setReason] = useState<string | null>(null);
  const [pair, setPair] = useState<DuplicatePair | null>(null);
  const filters = { reason: reason ?? undefined };
  const list = useInfiniteQuery(
    pagedQuery<Page<DuplicatePair>>(['customers', 'duplicates'], '/customers/duplicates', filters, 100),
  );
  const items = allItems(list.data?.pages);
  return (
    <>
      <PageHeader title={t('crmAdmin.duplicates.title')}>
        <Select
          aria-label={t('crmAdmin.duplicates.reason')}
          placeholder={t('crmAdmin.duplicates.allReasons')}
          data={(['phone', 'name_address'] as const).map((r) => ({
            value: r,
            label: t(`crmAdmin.duplicates.reasons.${r}`),
          }))}
          value={reason}
          onChange={setReason}
          clearable
          allowDeselect
          w={200}
          data-testid="duplicates-reason"
        />
        <FnButton fkey="F5" variant="default" onClick={() => void list.refetch()} testid="duplicates-refresh">
          {t('common.refresh')}
        </FnButton>
      </PageHeader>
      {list.data ? (
        <Table.ScrollContainer minWidth={900}>
          <Table data-testid="duplicates-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={130}>{t('crmAdmin.duplicates.reason')}</Table.Th>
                <Table.Th>{t('crmAdmin.duplicates.first')}</Table.Th>
                <Table.Th>{t('crmAdmin.duplicates.second')}</Table.Th>
                <Table.Th w={90} />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.length === 0 ? (
                <Table.Tr>
                  <Table.Td colSpan={4}>
                    <Text size="xs" c="dimmed" ta="center">
                      {t('crmAdmin.duplicates.none')}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ) : null}
              {items.map((p) => (
                <Table.Tr key={`${p.reason}:${p.customers[0].id}:${p.customers[1].id}`} data-testid="duplicates-row">
                  <Table.Td>
                    <Badge color={p.reason === 'phone' ? 'orange' : 'grape'}>
                      {t(`crmAdmin.duplicates.reasons.${p.reason}`)}
                    </Badge>
                    <Text size="xs" c="dimmed" className="mono">
                      {p.key}
                    </Text>
                  </Table.Td>
                  {p.customers.map((c) => (
                    <Table.Td key={c.id}>
                      <Link to="/customers/$customerId" params={{ customerId: c.id }} search={{}}>
                        <Text span className="mono" size="xs" mr={6}>
                          {c.code}
                        </Text>
                        {c.name}
                      </Link>
                      <Text size="xs" c="dimmed">
                        {[c.phones.join(', '), [c.prefecture, c.city, c.address1].filter(Boolean).join('')]
                          .filter(Boolean)
                          .join(' / ')}
                      </Text>
                    </Table.Td>
                  ))}
                  <Table.Td>
                    <Button
                      variant="light"
                      leftSection={<IconArrowsJoin size={14} />}
                      onClick={() => setPair(p)}
                      data-testid="duplicates-merge"
                    >
                      {t('crmAdmin.duplicates.merge')}
                    </Button>
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
          testid="duplicates-more"
        />
      ) : null}
      <MergeModal pair={pair} onClose={() => setPair(null)} />
    </>
  );
}
