// The 定期 reports as files for Excel, through the sales reports' writer (reports.files.ts): the
// JSON answer flattened to one row per table line, a 合計 row last, labels in the request's language.
import { adCols, type Column, I, productCols, R, type Report, type ReportData, T } from '../reports/reports.files.js';
import type {
  CancellationsResult,
  CancellationTable,
  ContinuationResult,
  LtvResult,
  Series,
} from './subscription-reports.schema.js';

export type FileOf = { report: Report; data: ReportData };

/** started, then for each delivery number its count and its rate. */
const seriesColumns = (points: number[]): Column[] => [
  I('started', '開始件数', 'Started'),
  ...points.flatMap((n) => [
    I(`reached${n}`, `${n}回目 継続数`, `Delivery ${n}: kept`),
    R(`rate${n}`, `${n}回目 継続率`, `Delivery ${n}: rate`),
  ]),
];
const flat = (points: number[], s: Series): Record<string, unknown> => ({
  started: s.started,
  ...Object.fromEntries(
    points.flatMap((n, i) => [
      [`reached${n}`, s.reached[i]],
      [`rate${n}`, s.rates[i]],
    ]),
  ),
});

export function continuationFile(r: ContinuationResult): FileOf {
  const name = { name: `continuation-${r.by}` };
  if (r.by === 'nth') {
    return {
      report: {
        ...name,
        ja: '定期継続率(回数別)',
        en: 'Subscription continuation by delivery',
        columns: [
          T('label', '回数', 'Delivery'),
          I('started', '開始件数', 'Started'),
          I('reached', '継続数', 'Kept'),
          I('pending', '未到達', 'Not yet due'),
          R('rate', '継続率', 'Rate'),
        ],
      },
      data: {
        rows: r.rows.map((x) => ({ ...x, label: String(x.n) })),
        total: { started: r.total.started },
      },
    };
  }
  if (r.by === 'cohort') {
    return {
      report: {
        ...name,
        ja: '定期継続率(開始月別)',
        en: 'Subscription continuation by start month',
        columns: [T('cohort', '開始月', 'Start month'), ...seriesColumns(r.points)],
      },
      data: { rows: r.rows.map((x) => ({ cohort: x.cohort, ...flat(r.points, x) })), total: flat(r.points, r.total) },
    };
  }
  if (r.by === 'ad') {
    return {
      report: {
        ...name,
        ja: '定期継続率(広告別)',
        en: 'Subscription continuation by ad medium',
        columns: [...adCols, ...seriesColumns(r.points)],
      },
      data: {
        rows: r.rows.map((x) => ({
          adMediumCode: x.adMediumCode,
          adMediumName: x.adMediumName,
          ...flat(r.points, x),
        })),
        total: flat(r.points, r.total),
      },
    };
  }
  return {
    report: {
      ...name,
      ja: '定期継続率(初回商品別)',
      en: 'Subscription continuation by first product',
      columns: [...productCols, ...seriesColumns(r.points)],
    },
    data: {
      rows: r.rows.map((x) => ({ productCode: x.productCode, productName: x.productName, ...flat(r.points, x) })),
      total: flat(r.points, r.total),
    },
  };
}

export function ltvFile(r: LtvResult): FileOf {
  return {
    report: {
      name: 'ltv',
      ja: '定期LTV(開始月別)',
      en: 'Subscription LTV by start month',
      columns: [
        T('cohort', '開始月', 'Start month'),
        I('subscriptions', '定期件数', 'Subscriptions'),
        I('deliveries', 'お届け回数', 'Deliveries'),
        I('revenue', '売上(税込)', 'Revenue (incl. tax)'),
        I('ltv', 'LTV', 'LTV'),
        { key: 'averageDeliveries', ja: '平均お届け回数', en: 'Average deliveries' },
      ],
    },
    data: r,
  };
}

const leavingColumns = [
  I('count', '解約件数', 'Cancellations'),
  R('share', '構成比', 'Share'),
  I('withContact', '14日以内の対応あり', 'Contact within 14 days'),
];

export function cancellationsFile(r: CancellationsResult, table: CancellationTable): FileOf {
  const total = { count: r.total.count, share: r.total.count === 0 ? null : 1, withContact: r.total.withContact };
  if (table === 'deliveries') {
    return {
      report: {
        name: 'cancellations-deliveries',
        ja: '顧客離脱集計表(回数別)',
        en: 'Cancellations by delivery',
        columns: [T('label', '離脱時のお届け済み回数', 'Deliveries received'), ...leavingColumns],
      },
      data: { rows: r.deliveries.map((x) => ({ ...x, label: String(x.deliveries) })), total },
    };
  }
  if (table === 'products') {
    // A subscription with two products counts under both: the product rows have no total of their own.
    return {
      report: {
        name: 'cancellations-products',
        ja: '顧客離脱集計表(商品別)',
        en: 'Cancellations by product',
        columns: [...productCols, ...leavingColumns],
      },
      data: { rows: r.products, total },
    };
  }
  return {
    report: {
      name: 'cancellations-reasons',
      ja: '定期解約理由',
      en: 'Subscription cancellation reasons',
      columns: [T('reasonCode', '理由コード', 'Reason code'), T('reasonName', '解約理由', 'Reason'), ...leavingColumns],
    },
    data: { rows: r.reasons, total },
  };
}
