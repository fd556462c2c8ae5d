export const MONITOR_TABS = [
  'detail',
  'interactions',
  'actions',
  'addresses',
  'karte',
  'subscriptions',
  'orders',
  'orderEntry',
] as const;
export type MonitorTab = (typeof MONITOR_TABS)[number];

/** The monitor's address: /customers/$customerId?tab=&callId= */
export interface MonitorSearch {
  tab?: MonitorTab;
  /** The call that popped this monitor: new interactions belong to it. */
  callId?: string;
}
