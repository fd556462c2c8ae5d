import { z } from 'zod';
import type { App, Deps } from '../../app.js';
import { STAFF } from '../../platform/auth/roles.js';
import { attachment, csvContentType, csvStream } from '../../platform/files/csv.js';
import { ctxOf } from '../../platform/http/context.js';
import { type InquiryReport, inquiryReport, inquiryReportQuery, inquiryReportSchema } from './faq.report.js';

const tags = ['reports'];
export const INQUIRY_CSV_HEADER = ['期間', '期間開始日', '集計区分', '名称', '件数'];

async function* csvRows(report: InquiryReport): AsyncGenerator<unknown[]> {
  const period = report.period === 'week' ? '週' : '月';
  for (const r of report.kinds) yield [period, r.periodStart, '対応区分', r.name, r.count];
  for (const r of report.categories) yield [period, r.periodStart, 'FAQカテゴリ', r.name, r.count];
}

/** The inquiry report (support-history analysis): JSON for the chart, CSV for Excel. Supervisors and admins. */
export function inquiryReportRoutes(app: App, { db, clock }: Deps) {
  app.get(
    '/reports/inquiries',
    {
      config: { roles: STAFF },
      schema: {
        tags,
        description:
          'Interactions per kind and FAQ uses per category, per week (Monday first) or month in Asia/Tokyo; from/to inclusive days.',
        querystring: inquiryReportQuery,
        response: { 200: inquiryReportSchema },
      },
    },
    async (req) => inquiryReport(db, ctxOf(req, clock), req.query),
  );

  app.get(
    '/reports/inquiries/export',
    {
      config: { roles: STAFF },
      schema: {
        tags,
        description: 'The same report as CSV for Excel (Shift_JIS or UTF-8 with BOM, CRLF).',
        querystring: inquiryReportQuery.extend({ encoding: z.enum(['sjis', 'utf8bom']).default('utf8bom') }),
      },
    },
    async (req, reply) => {
      const { encoding, ...q } = req.query;
      const report = await inquiryReport(db, ctxOf(req, clock), q);
      return reply
        .header('content-type', csvContentType(encoding))
        .header('content-disposition', attachment(`inquiries-${report.period}-${report.from}-${report.to}.csv`))
        .header('cache-control', 'no-store')
        .send(csvStream(INQUIRY_CSV_HEADER, csvRows(report), encoding));
    },
  );
}
