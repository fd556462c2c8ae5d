import { Paper, Tabs } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { paymentsKey } from '../../api/payments';
import { FnButton } from '../../components/fkeys';
import { PageHeader } from '../../components/PageHeader';
import { HistoryPanel } from './HistoryPanel';
import { ImportPanel } from './ImportPanel';
import { QueuePanel } from './QueuePanel';
import { RecordPaymentModal } from './RecordPaymentModal';
import { UnpaidPanel } from './UnpaidPanel';

const TABS = ['unpaid', 'import', 'queue', 'history'] as const;
type Tab = (typeof TABS)[number];

/**
 * 入金管理: 未入金一覧 with reminders, statement imports (全銀協, CSV, 代引き, 後払い) with their
 * matching, the unmatched queue (match by hand), every payment; F2 records a payment by hand.
 */
export function PaymentsPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [tab, setTab] = useState<Tab>('unpaid');
  const [recording, setRecording] = useState(false);
  return (
    <>
      <PageHeader title={t('payments.title')}>
        <FnButton fkey="F2" onClick={() => setRecording(true)} testid="payments-record">
          {t('payments.record')}
        </FnButton>
        <FnButton fkey="F6" variant="default" onClick={() => setTab('import')} testid="payments-tab-import">
          {t('payments.tabs.import')}
        </FnButton>
        <FnButton fkey="F7" variant="default" onClick={() => setTab('queue')} testid="payments-tab-queue">
          {t('payments.tabs.queue')}
        </FnButton>
        <FnButton
          fkey="F5"
          variant="default"
          onClick={() => void queryClient.invalidateQueries({ queryKey: paymentsKey })}
          testid="payments-refresh"
        >
          {t('common.refresh')}
        </FnButton>
      </PageHeader>
      <Paper withBorder p="sm">
        <Tabs value={tab} onChange={(v) => v && setTab(v as Tab)} keepMounted={false}>
          <Tabs.List mb="xs">
            {TABS.map((id) => (
              <Tabs.Tab key={id} value={id} data-testid={`payments-tab-${id}-tab`}>
                {t(`payments.tabs.${id}`)}
              </Tabs.Tab>
            ))}
          </Tabs.List>
          <Tabs.Panel value="unpaid">
            <UnpaidPanel />
          </Tabs.Panel>
          <Tabs.Panel value="import">
            <ImportPanel />
          </Tabs.Panel>
          <Tabs.Panel value="queue">
            <QueuePanel />
          </Tabs.Panel>
          <Tabs.Panel value="history">
            <HistoryPanel />
          </Tabs.Panel>
        </Tabs>
      </Paper>
      <RecordPaymentModal opened={recording} target={null} onClose={() => setRecording(false)} />
    </>
  );
}
