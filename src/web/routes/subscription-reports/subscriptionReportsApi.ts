/** The 定期 reports (src/server/modules/subscription-reports): GET /reports/subscriptions/<name>. */
export const SUB_REPORTS = ['continuation', 'ltv', 'cancellations'] as const;
export type SubReport = (typeof SUB_REPORTS)[number];
export const CONTINUATION_BYS = ['nth', 'cohort', 'ad', 'product'] as const;
export type ContinuationBy = (typeof CONTINUATION_BYS)[number];
export const CANCELLATION_TABLES = ['reasons', 'deliveries', 'products'] as const;
export type CancellationTable = (typeof CANCELLATION_TABLES)[number];

export const subReportPath = (report: SubReport) => `/reports/subscriptions/${report}`;

type Ratio = number | null;

export interface Series {
  started: number;
  reached: number[];
  pending: number[];
  rates: Ratio[];
}

export interface NthRow {
  n: number;
  started: number;
  reached: number;
  pending: number;
  rate: Ratio;
}

export type ContinuationAnswer =
  | { by: 'nth'; rows: NthRow[]; total: { started: number } }
  | { by: 'cohort'; points: number[]; rows: (Series & { cohort: string })[]; total: Series }
  | {
      by: 'ad';
      points: number[];
      rows: (Series & { adMediumId: string | null; adMediumCode: string | null; adMediumName: string | null })[];
      total: Series;
    }
  | {
      by: 'product';
      points: number[];
      rows: (Series & { productId: string | null; productCode: string | null; productName: string | null })[];
      total: Series;
    };

export interface LtvFigures {
  subscriptions: number;
  deliveries: number;
  revenue: number;
  ltv: number | null;
  averageDeliveries: number | null;
}
export interface LtvAnswer {
  rows: (LtvFigures & { cohort: string })[];
  total: LtvFigures;
}

export interface Leaving {
  count: number;
  share: Ratio;
  withContact: number;
}
export interface CancellationsAnswer {
  reasons: (Leaving & { reasonId: string | null; reasonCode: string | null; reasonName: string | null })[];
  deliveries: (Leaving & { deliveries: number })[];
  products: (Leaving & { productId: string; productCode: string; productName: string })[];
  total: { count: number; withContact: number; contactShare: Ratio };
}
