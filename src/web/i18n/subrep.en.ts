import type { subrepJa, subrepNavJa } from './subrep.ja';

/** English strings of the subscription analysis screen; part of en.ts. */
export const subrepEn: typeof subrepJa = {
  subrep: {
    title: 'Subscription analysis',
    tabs: { continuation: 'Continuation', ltv: 'LTV', cancellations: 'Cancellations' },
    from: 'From',
    to: 'To',
    thisYear: 'This year',
    last12: 'Last 12 months',
    adMedium: 'Ad medium',
    product: 'First product',
    any: 'All',
    none: '(none)',
    by: 'Group by',
    bys: { nth: 'Delivery number', cohort: 'Start month', ad: 'Ad medium', product: 'First product' },
    table: 'Table',
    tables: { reasons: 'Reasons', deliveries: 'Churn by delivery', products: 'Churn by product' },
    run: 'Run',
    csv: 'CSV (Shift_JIS)',
    excel: 'Excel',
    total: 'Total',
    periodHint: {
      continuation: 'Subscriptions whose first delivery falls in the period.',
      ltv: 'Subscriptions whose first delivery falls in the period (revenue: tax-included totals of their orders, cancelled and wholly returned ones excluded).',
      cancellations:
        'Subscriptions cancelled in the period. "Contact": a subscription change or complaint entry in the 14 days before the cancellation.',
    },
    nth: 'Delivery {{n}}',
    columns: {
      n: 'Delivery',
      cohort: 'Start month',
      adMedium: 'Ad medium',
      product: 'Product',
      started: 'Started',
      reached: 'Kept',
      pending: 'Not yet due',
      rate: 'Rate',
      subscriptions: 'Subscriptions',
      deliveries: 'Deliveries',
      revenue: 'Revenue (incl. tax)',
      ltv: 'LTV',
      averageDeliveries: 'Avg. deliveries',
      reason: 'Reason',
      leftAfter: 'Deliveries received',
      count: 'Cancellations',
      share: 'Share',
      withContact: 'Contact',
    },
    pendingNote: 'Not yet due: still running and not at that delivery yet (counted in the rate’s denominator)',
    contactShare: '{{withContact}} of {{count}} cancellations had a contact in the 14 days before ({{share}})',
  },
};

export const subrepNavEn: typeof subrepNavJa = { subscriptionReports: 'Subscription analysis' };
