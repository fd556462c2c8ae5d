import { Button, Group, Modal, Select, Stack, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { Rank } from '../../api/crmAdmin';
import { type CustomerRank, customerRankQuery } from '../../api/customers';
import type { Page } from '../../api/types';
import { FormAlert } from '../../components/FormAlert';
import { FnButton } from '../../components/fkeys';
import { notifySuccess } from '../../lib/notify';

const enc = encodeURIComponent;

function RankOverrideForm({ current, onClose }: { current: CustomerRank; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const ranks = useQuery({
    queryKey: ['ranks', 'active'],
    queryFn: ({ signal }) => api.get<Page<Rank>>('/ranks', { limit: 500 }, signal),
    staleTime: 5 * 60_000,
  });
  const manual = current.source === 'manual';
  const [rankId, setRankId] = useState<string | null>(manual ? (current.rank?.id ?? null) : null);
  const [reason, setReason] = useState(manual ? (current.reason ?? '') : '');
  const rankKey = customerRankQuery(current.customerId).queryKey;
  const done = (message: string) => {
    void queryClient.invalidateQueries({ queryKey: rankKey });
    notifySuccess(message);
    onClose();
  };
  const save = useMutation({
    mutationFn: () =>
      api.put<CustomerRank>(`/customers/${enc(current.customerId)}/rank`, { rankId, reason: reason.trim() }),
    onSuccess: (saved) => {
      queryClient.setQueryData(rankKey, saved);
      done(t('monitor.rankSaved'));
    },
  });
  const clear = useMutation({
    mutationFn: () => api.del<void>(`/customers/${enc(current.customerId)}/rank`),
    onSuccess: () => done(t('monitor.rankCleared')),
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (rankId && reason.trim()) save.mutate();
  };
  const options = (ranks.data?.items ?? [])
    .filter((r) => r.active || r.id === rankId)
    .map((r) => ({ value: r.id, label: r.name }));

  return (
    <form onSubmit={submit}>
      <Stack gap="xs">
        <FormAlert error={save.error ?? clear.error ?? ranks.error} />
        <Text size="xs" c="dimmed">
          {manual ? t('monitor.rankManual', { reason: current.reason ?? '' }) : t('monitor.rankByRule')}
        </Text>
        <Select
          label={t('monitor.rank')}
          data={options}
          value={rankId}
          onChange={setRankId}
          required
          data-autofocus
          data-testid="rank-override-select"
        />
        <TextInput
          label={t('monitor.rankReason')}
          value={reason}
          onChange={(event) => setReason(event.currentTarget.value)}
          maxLength={500}
          required
          data-testid="rank-override-reason"
        />
        <Group justify="space-between" gap={6}>
          {manual ? (
            <Button
              variant="subtle"
              color="red"
              loading={clear.isPending}
              onClick={() => clear.mutate()}
              data-testid="rank-override-clear"
            >
              {t('monitor.rankClear')}
            </Button>
          ) : (
            <span />
          )}
          <Group gap={6}>
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <FnButton
              fkey="F1"
              type="submit"
              loading={save.isPending}
              disabled={!rankId || !reason.trim()}
              testid="rank-override-submit"
            >
              {t('common.save')}
            </FnButton>
          </Group>
        </Group>
      </Stack>
    </form>
  );
}

/** 手動ランク: supervisors and admins set a customer's rank by hand, with a reason, or give it back to the rules. */
export function RankOverrideModal({ current, onClose }: { current: CustomerRank | null; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal opened={current !== null} onClose={onClose} title={t('monitor.rankOverrideTitle')} size="sm">
      {current ? <RankOverrideForm current={current} onClose={onClose} /> : null}
    </Modal>
  );
}
