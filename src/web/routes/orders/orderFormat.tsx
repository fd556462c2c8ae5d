import { Badge } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { deskAdMediaQuery, type OrderStatus, STATUS_COLORS } from '../../api/orders';

/** 2025/04/01 from YYYY-MM-DD (empty for none): the lists' dense date. */
export function shortDate(date: string | null | undefined): string {
  return date ? date.slice(0, 10).replaceAll('-', '/') : '';
}

/** 受付 / 出荷指示 / 出荷済 / 完了 / キャンセル / 返品. */
export function OrderStatusBadge({ status }: { status: OrderStatus }) {
  const { t } = useTranslation();
  return (
    <Badge color={STATUS_COLORS[status]} data-status={status} tt="none">
      {t(`orderList.statuses.${status}`)}
    </Badge>
  );
}

/** 広告 of an order: the ad medium's name from the (cached) master. */
export function useAdMediumName(): (id: string | null | undefined) => string {
  const media = useQuery(deskAdMediaQuery);
  return (id) => (id ? (media.data?.find((m) => m.id === id)?.name ?? '') : '');
}
