/** The sales reports (src/server/modules/reports): each answers { rows, total } for a period. */
export const SALES_REPORTS = [
  'ad-shipments',
  'product-shipments',
  'region-shipments',
  'customer-sales',
  'region-sales-shipping',
  'ad-monthly',
  'staff-sales',
  'staff-gross-profit',
] as const;
export type SalesReport = (typeof SALES_REPORTS)[number];

export type ReportRow = Record<string, string | number | null>;

export interface ReportAnswer {
  rows: ReportRow[];
  total: Record<string, number | null>;
  nextCursor?: string | null;
}

/** GET /reports/sales/<name> (the staff report is named "staff" on the server). */
export const reportPath = (report: SalesReport) => `/reports/sales/${report === 'staff-sales' ? 'staff' : report}`;
