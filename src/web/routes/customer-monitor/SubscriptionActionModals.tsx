import { Alert, Button, Checkbox, Group, Modal, NativeSelect, Radio, Stack, Text, TextInput } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client';
import {
  cancelSubscription,
  invalidateAfterSubscriptionChange,
  isCommitmentNotMet,
  moveSubscription,
  pauseSubscription,
  resumeSubscription,
  type Subscription,
  skipSubscription,
  subscriptionCancelReasonsQuery,
  subscriptionQuery,
} from '../../api/subscriptions';
import { FormAlert } from '../../components/FormAlert';
import { FnButton } from '../../components/fkeys';
import { i18n } from '../../i18n';
import { formatDate, todayInTokyo } from '../../lib/datetime';
import { notifySuccess } from '../../lib/notify';

export type SubscriptionAction = 'skip' | 'move' | 'edit' | 'pause' | 'resume' | 'cancel';

const shown = (d: string | null | undefined) => (d ? formatDate(d, i18n.language) : '—');

interface Props {
  subscription: Subscription;
  /** The delivery after the next one (a move must come before it). */
  following: string | null;
  onClose: () => void;
}

/** A change's dialog: runs it, puts the answer in the cache, reads the rest again; F1 runs, Esc closes. */
function ActionModal({
  title,
  subscription,
  run,
  confirmLabel,
  color,
  testid,
  onClose,
  children,
  fieldError,
  disabled = false,
}: {
  title: string;
  disabled?: boolean;
  subscription: Subscription;
  run: () => Promise<Subscription>;
  confirmLabel: string;
  color?: string;
  testid: string;
  onClose: () => void;
  children?: ReactNode;
  /** A problem the caller shows itself (e.g. the 回数縛り warning): return true to keep the dialog quiet. */
  fieldError?: (error: unknown) => boolean;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<unknown>(null);
  const submit = async (event?: FormEvent) => {
    event?.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      const saved = await run();
      queryClient.setQueryData(subscriptionQuery(saved.id).queryKey, saved);
      await invalidateAfterSubscriptionChange(queryClient, subscription.customerId);
      notifySuccess(t('subs.done', { number: saved.number }));
      onClose();
    } catch (error) {
      if (!fieldError?.(error)) setProblem(error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal opened onClose={onClose} title={`${title}（#${subscription.number}）`} size="md">
      <form onSubmit={(e) => void submit(e)} noValidate data-testid={testid}>
        <Stack gap={8}>
          {children}
          <FormAlert error={problem} testid={`${testid}-error`} />
          <Group justify="flex-end" gap={6}>
            <Button variant="default" onClick={onClose} data-testid={`${testid}-back`}>
              {t('common.cancel')}
            </Button>
            <FnButton
              fkey="F1"
              type="submit"
              color={color}
              loading={busy}
              disabled={disabled}
              data-autofocus
              testid={`${testid}-ok`}
            >
              {confirmLabel}
            </FnButton>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** 次回スキップ: the next delivery is left out; the one after it becomes the next. */
export function SubscriptionSkipModal({ subscription, following, onClose }: Props) {
  const { t } = useTranslation();
  return (
    <ActionModal
      title={t('subs.actions.skip')}
      subscription={subscription}
      run={() => skipSubscription(subscription)}
      confirmLabel={t('subs.actions.skip')}
      color="orange"
      testid="sub-skip"
      onClose={onClose}
    >
      <Text size="sm" data-testid="sub-skip-message">
        {t('subs.skipQuestion', { date: shown(subscription.nextDeliveryDate), next: shown(following) })}
      </Text>
    </ActionModal>
  );
}

/** お届け日変更: the next delivery only, before the one after it (the regular schedule stays). */
export function SubscriptionMoveModal({ subscription, following, onClose }: Props) {
  const { t } = useTranslation();
  const today = todayInTokyo();
  const [date, setDate] = useState(subscription.nextDeliveryDate ?? '');
  const [error, setError] = useState<string | null>(null);
  return (
    <ActionModal
      title={t('subs.actions.move')}
      subscription={subscription}
      run={async () => {
        if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || date <= today) {
          setError(t('subs.form.dateFuture'));
          throw new Error(t('subs.form.dateFuture'));
        }
        if (following && date >= following) {
          setError(t('subs.moveBefore', { date: shown(following) }));
          throw new Error(t('subs.moveBefore', { date: shown(following) }));
        }
        return moveSubscription(subscription, date);
      }}
      fieldError={(e) => {
        if (isApiError(e) && e.errors[0]?.path.endsWith('date')) {
          setError(e.errors[0].message);
          return true;
        }
        return !isApiError(e);
      }}
      confirmLabel={t('subs.actions.move')}
      testid="sub-move"
      onClose={onClose}
    >
      <Text size="sm">
        {t('subs.moveCurrent', { date: shown(subscription.nextDeliveryDate) })}
        {following ? ` ${t('subs.moveBefore', { date: shown(following) })}` : ''}
      </Text>
      <TextInput
        type="date"
        w={180}
        label={t('subs.newDate')}
        value={date}
        onChange={(e) => {
          setDate(e.currentTarget.value);
          setError(null);
        }}
        error={error}
        data-autofocus
        data-testid="sub-move-date"
      />
    </ActionModal>
  );
}

/** 一時休止: until a date (deliveries before it are skipped, then it resumes by itself) or until 再開. */
export function SubscriptionPauseModal({ subscription, onClose }: Omit<Props, 'following'>) {
  const { t } = useTranslation();
  const today = todayInTokyo();
  const [mode, setMode] = useState<'until' | 'open'>('until');
  const [until, setUntil] = useState('');
  const [error, setError] = useState<string | null>(null);
  return (
    <ActionModal
      title={t('subs.actions.pause')}
      subscription={subscription}
      run={async () => {
        if (mode === 'until' && (!/^\d{4}-\d{2}-\d{2}$/.test(until) || until <= today)) {
          setError(t('subs.form.dateFuture'));
          throw new Error(t('subs.form.dateFuture'));
        }
        return pauseSubscription(subscription, mode === 'until' ? until : undefined);
      }}
      fieldError={(e) => {
        if (isApiError(e) && e.errors[0]?.path.endsWith('until')) {
          setError(e.errors[0].message);
          return true;
        }
        return !isApiError(e);
      }}
      confirmLabel={t('subs.actions.pause')}
      color="yellow"
      testid="sub-pause"
      onClose={onClose}
    >
      <Radio.Group value={mode} onChange={(v) => setMode(v as 'until' | 'open')}>
        <Stack gap={4}>
          <Radio value="until" label={t('subs.pauseUntil')} data-testid="sub-pause-mode-until" />
          <Radio value="open" label={t('subs.pauseOpen')} data-testid="sub-pause-mode-open" />
        </Stack>
      </Radio.Group>
      {mode === 'until' ? (
        <TextInput
          type="date"
          w={180}
          label={t('subs.pauseUntilDate')}
          description={t('subs.pauseUntilHint')}
          value={until}
          onChange={(e) => {
            setUntil(e.currentTarget.value);
            setError(null);
          }}
          error={error}
          data-autofocus
          data-testid="sub-pause-until"
        />
      ) : null}
    </ActionModal>
  );
}

/** 再開: the next regular delivery after today. */
export function SubscriptionResumeModal({ subscription, onClose }: Omit<Props, 'following'>) {
  const { t } = useTranslation();
  return (
    <ActionModal
      title={t('subs.actions.resume')}
      subscription={subscription}
      run={() => resumeSubscription(subscription)}
      confirmLabel={t('subs.actions.resume')}
      color="teal"
      testid="sub-resume"
      onClose={onClose}
    >
      <Text size="sm">{t('subs.resumeQuestion')}</Text>
    </ActionModal>
  );
}

/**
 * 解約 with a reason (the reasons master, kind subscription_cancel). Under the agreed minimum
 * (回数縛り) the server answers 409 commitment_not_met: the remaining count is shown and the
 * operator confirms (acknowledgeCommitment) after telling the customer.
 */
export function SubscriptionCancelModal({ subscription, onClose }: Omit<Props, 'following'>) {
  const { t } = useTranslation();
  const reasons = useQuery(subscriptionCancelReasonsQuery);
  const [reasonId, setReasonId] = useState('');
  const [note, setNote] = useState('');
  const [warning, setWarning] = useState<string | null>(null);
  const [acknowledged, setAcknowledged] = useState(false);
  const remaining = subscription.remainingCommitment;
  return (
    <ActionModal
      title={t('subs.actions.cancel')}
      subscription={subscription}
      run={() =>
        cancelSubscription(subscription, {
          ...(reasonId ? { reasonId } : {}),
          ...(note.trim() ? { note: note.trim() } : {}),
          ...(warning !== null && acknowledged ? { acknowledgeCommitment: true } : {}),
        })
      }
      fieldError={(e) => {
        if (!isCommitmentNotMet(e)) return false;
        setWarning(isApiError(e) ? (e.detail ?? e.title) : '');
        setAcknowledged(false);
        return true;
      }}
      confirmLabel={warning !== null ? t('subs.cancelAnyway') : t('subs.actions.cancel')}
      disabled={warning !== null && !acknowledged}
      color="red"
      testid="sub-cancel"
      onClose={onClose}
    >
      <NativeSelect
        label={t('subs.cancelReason')}
        value={reasonId}
        onChange={(e) => setReasonId(e.currentTarget.value)}
        data={[
          { value: '', label: t('orderDesk.unselected') },
          ...(reasons.data ?? []).map((r) => ({ value: r.id, label: r.name })),
        ]}
        data-testid="sub-cancel-reason"
      />
      <TextInput
        label={t('subs.note')}
        value={note}
        maxLength={1000}
        onChange={(e) => setNote(e.currentTarget.value)}
        data-testid="sub-cancel-note"
      />
      {remaining > 0 && warning === null ? (
        <Text size="xs" c="orange.8" data-testid="sub-cancel-remaining-hint">
          {t('subs.commitmentHint', { min: subscription.minDeliveries, remaining })}
        </Text>
      ) : null}
      {warning !== null ? (
        <Alert color="orange" p="xs" title={t('subs.commitmentTitle')} data-testid="sub-cancel-commitment">
          <Text size="sm" fw={700} data-testid="sub-cancel-remaining" data-remaining={remaining}>
            {t('subs.commitmentRemaining', {
              min: subscription.minDeliveries,
              made: subscription.deliveriesMade,
              remaining,
            })}
          </Text>
          {warning ? (
            <Text size="xs" mt={2}>
              {warning}
            </Text>
          ) : null}
          <Checkbox
            mt={6}
            checked={acknowledged}
            onChange={(e) => setAcknowledged(e.currentTarget.checked)}
            label={t('subs.commitmentAcknowledge')}
            data-testid="sub-cancel-acknowledge"
          />
        </Alert>
      ) : null}
    </ActionModal>
  );
}
