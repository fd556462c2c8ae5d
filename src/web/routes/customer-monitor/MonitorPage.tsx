import { Tabs } from '@mantine/core';
import { IconLock } from '@tabler/icons-react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams, useSearch } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { customerQuery, customersKey, karteAccessQuery } from '../../api/customers';
import type { Interaction } from '../../api/interactions';
import { FnButton, useFnKey } from '../../components/fkeys';
import type { FnKey } from '../../components/fkeys/registry';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { useLiveCallFor } from '../../components/telephony/callStore';
import { notifyWarning } from '../../lib/notify';
import { ActionsTab } from './ActionsTab';
import { AddressesTab } from './AddressesTab';
import { DetailTab } from './DetailTab';
import { EscalateModal } from './EscalateModal';
import { InteractionsTab } from './InteractionsTab';
import { KarteTab } from './KarteTab';
import { MonitorHeader } from './MonitorHeader';
import { MONITOR_TABS, type MonitorSearch, type MonitorTab } from './monitorTabs';
import { OrderForm } from './OrderForm';
import { OrdersTab } from './OrdersTab';
import { SubscriptionsTab } from './SubscriptionsTab';
import { useReorder } from './useReorder';

/** F6–F12 switch the tabs, in the seed's order (顧客詳細 first); 定期情報 has none left (click or ?tab=). */
const TAB_KEYS: Record<MonitorTab, FnKey | null> = {
  detail: 'F6',
  interactions: 'F7',
  actions: 'F8',
  addresses: 'F9',
  karte: 'F10',
  subscriptions: null,
  orders: 'F11',
  orderEntry: 'F12',
};
const TAB_LABELS = {
  detail: 'monitor.tabDetail',
  interactions: 'monitor.tabInteractions',
  actions: 'monitor.tabActions',
  addresses: 'monitor.tabAddresses',
  karte: 'monitor.tabKarte',
  subscriptions: 'subs.tab',
  orders: 'orderDesk.tabHistory',
  orderEntry: 'orderDesk.tabEntry',
} as const;
const TAB_TESTIDS: Record<MonitorTab, string> = {
  detail: 'tab-detail',
  interactions: 'tab-interactions',
  actions: 'tab-actions',
  addresses: 'tab-addresses',
  karte: 'karte-tab',
  subscriptions: 'tab-subscriptions',
  orders: 'tab-orders',
  orderEntry: 'tab-order-entry',
};

function TabKey({
  tab,
  fkey,
  enabled,
  onSelect,
}: {
  tab: MonitorTab;
  fkey: FnKey;
  enabled: boolean;
  onSelect: (tab: MonitorTab) => void;
}) {
  useFnKey(fkey, () => onSelect(tab), enabled);
  return null;
}

/**
 * 顧客モニター, the operator's home: the header (name, kana, code, rank, alert, phones, age,
 * address) stays above every tab. F1 登録 (the tab's form), F2 新規対応, F3 検索, F4
 * エスカレーション, F5 再表示, F6–F10 tabs.
 */
export function MonitorPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { customerId } = useParams({ strict: false }) as { customerId: string };
  const search: MonitorSearch = useSearch({ strict: false });
  const customer = useQuery(customerQuery(customerId));
  const karteAccess = useQuery(karteAccessQuery);
  const liveCall = useLiveCallFor(customerId, search.callId);
  const [picked, setSelected] = useState<Interaction | null>(null);
  const [newEntry, setNewEntry] = useState(0);
  // Another customer (a new call) starts with nothing selected.
  const selected = picked?.customerId === customerId ? picked : null;
  const [escalating, setEscalating] = useState<Interaction | null>(null);

  const karteGranted = karteAccess.data?.granted === true;
  const tabs = MONITOR_TABS.filter((tab) => tab !== 'karte' || karteGranted);
  const requested = search.tab ?? 'interactions';
  const tab: MonitorTab = tabs.includes(requested) ? requested : 'interactions';
  const callId = search.callId ?? liveCall?.callId ?? null;
  const reorder = useReorder(customerId);

  const selectTab = (next: MonitorTab) =>
    void navigate({
      to: '/customers/$customerId',
      params: { customerId },
      search: { ...search, tab: next },
      replace: true,
    });
  const startNewEntry = () => {
    if (tab !== 'interactions') selectTab('interactions');
    setNewEntry((n) => n + 1);
  };
  const escalateSelected = () => {
    if (!selected) notifyWarning(t('monitor.selectFirst'));
    else setEscalating(selected);
  };
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: customersKey });
    void queryClient.invalidateQueries({ queryKey: ['interactions'] });
    void queryClient.invalidateQueries({ queryKey: ['actions', customerId] });
    void queryClient.invalidateQueries({ queryKey: ['subscriptions'] });
  };

  const title = customer.data ? `${t('monitor.title')} ${customer.data.name}` : t('monitor.title');
  return (
    <>
      <PageHeader title={title}>
        <FnButton fkey="F2" variant="default" onClick={startNewEntry} testid="monitor-new-interaction">
          {t('monitor.newInteraction')}
        </FnButton>
        <FnButton
          fkey="F3"
          variant="default"
          onClick={() => void navigate({ to: '/customers', search: {} })}
          testid="monitor-search"
        >
          {t('monitor.search')}
        </FnButton>
        <FnButton
          fkey="F4"
          color="red"
          variant={selected && selected.status !== 'escalated' ? 'filled' : 'light'}
          onClick={escalateSelected}
          disabled={!customer.data}
          testid="escalate-button"
        >
          {t('monitor.escalate')}
        </FnButton>
        <FnButton fkey="F5" variant="default" onClick={refresh} testid="monitor-refresh">
          {t('monitor.refresh')}
        </FnButton>
      </PageHeader>
      {customer.data ? (
        <>
          <MonitorHeader customer={customer.data} call={liveCall} />
          {MONITOR_TABS.map((key) => {
            const fkey = TAB_KEYS[key];
            return fkey ? (
              <TabKey key={key} tab={key} fkey={fkey} enabled={tabs.includes(key)} onSelect={selectTab} />
            ) : null;
          })}
          <Tabs value={tab} onChange={(value) => value && selectTab(value as MonitorTab)} variant="outline">
            <Tabs.List mb="xs">
              {tabs.map((key) => (
                <Tabs.Tab
                  key={key}
                  value={key}
                  data-testid={TAB_TESTIDS[key]}
                  c={key === 'karte' ? 'grape.8' : undefined}
                  fw={tab === key ? 700 : 400}
                  rightSection={key === 'karte' ? <IconLock size={12} aria-label={t('karte.sensitive')} /> : undefined}
                >
                  {TAB_KEYS[key] ? (
                    <span className="mono" style={{ opacity: 0.6, marginRight: 4 }}>
                      {TAB_KEYS[key]}
                    </span>
                  ) : null}
                  {t(TAB_LABELS[key])}
                </Tabs.Tab>
              ))}
            </Tabs.List>
            <Tabs.Panel value="detail">
              <DetailTab customer={customer.data} />
            </Tabs.Panel>
            <Tabs.Panel value="interactions">
              <InteractionsTab
                customer={customer.data}
                callId={callId}
                newEntrySignal={newEntry}
                selectedId={selected?.id ?? null}
                onSelect={setSelected}
                onEscalate={setEscalating}
              />
            </Tabs.Panel>
            <Tabs.Panel value="actions">
              <ActionsTab customerId={customerId} />
            </Tabs.Panel>
            <Tabs.Panel value="addresses">
              <AddressesTab customer={customer.data} />
            </Tabs.Panel>
            <Tabs.Panel value="subscriptions">
              <SubscriptionsTab customer={customer.data} />
            </Tabs.Panel>
            <Tabs.Panel value="orders">
              <OrdersTab
                customerId={customerId}
                highlightId={reorder.lastOrderId}
                onReorder={async (order) => {
                  await reorder.load(order);
                  selectTab('orderEntry');
                }}
              />
            </Tabs.Panel>
            <Tabs.Panel value="orderEntry" keepMounted>
              <OrderForm
                key={customerId}
                customer={customer.data}
                active={tab === 'orderEntry'}
                preset={reorder.preset}
                onRegistered={(order) => {
                  reorder.registered(order);
                  selectTab('orders');
                }}
              />
            </Tabs.Panel>
            {karteGranted ? (
              <Tabs.Panel value="karte">
                <KarteTab customerId={customerId} />
              </Tabs.Panel>
            ) : null}
          </Tabs>
          <EscalateModal
            interaction={escalating}
            onClose={() => setEscalating(null)}
            onDone={() => setSelected((s) => (s ? { ...s, status: 'escalated' } : s))}
          />
        </>
      ) : (
        <QueryState error={customer.error} onRetry={() => void customer.refetch()} />
      )}
    </>
  );
}
