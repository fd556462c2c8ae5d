import { Button } from '@mantine/core';
import { IconFileImport } from '@tabler/icons-react';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../api/auth';
import type { OrderFilters } from '../../api/orders';
import { CsvExportButtons } from '../../components/master/CsvImport';

/**
 * 受注一覧's CSV (GET /orders.csv with the list's own filters, Shift_JIS or UTF-8 with BOM) and the
 * way to Web受注取込: bulk work on personal data, for admins and supervisors only.
 */
export function OrdersCsvButtons({ filters }: { filters: OrderFilters }) {
  const { t } = useTranslation();
  const me = useMe();
  if (me.role !== 'admin' && me.role !== 'supervisor') return null;
  const query: Record<string, string | number | undefined> = {};
  for (const key of ['from', 'to', 'carrier', 'staffId', 'status', 'customerId', 'number', 'shipDate'] as const) {
    const value = filters[key];
    if (value !== undefined && value !== null && value !== '') query[key] = value;
  }
  return (
    <>
      <Button
        component={Link}
        to="/orders/import"
        variant="default"
        leftSection={<IconFileImport size={14} />}
        data-testid="orders-import-link"
      >
        {t('ordimp.openImport')}
      </Button>
      <CsvExportButtons path="/orders.csv" query={query} testid="orders-csv" />
    </>
  );
}
