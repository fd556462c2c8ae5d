import { Table, Text } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Order, OrderKind } from '../../api/orders';
import { yen } from '../customer-monitor/ProductCodeInput';
import { OrderStatusBadge, shortDate, useAdMediumName } from './orderFormat';

/** Goods of an order in one cell: the first product and how many more. */
export function goodsOf(order: Pick<Order, 'lines'>, more: (n: number) => string): { name: string; quantity: number } {
  const items = (order.lines ?? []).filter((l) => (l.kind ?? 'item') === 'item');
  const first = items[0];
  const quantity = items.reduce((n, l) => n + l.quantity, 0);
  if (!first) return { name: '', quantity };
  return {
    name: `${first.productName ?? first.productCode ?? ''}${items.length > 1 ? ` ${more(items.length - 1)}` : ''}`,
    quantity,
  };
}

/** An order as the compact tables list it; a 定期 order may carry its scheduled delivery date. */
type Row = Order & { subscriptionDeliveryDate?: string | null };

interface Cell {
  o: Row;
  t: TFunction;
  goods: { name: string; quantity: number };
  adName: (id: string | null | undefined) => string;
  defaultKind: OrderKind;
}

interface ColumnDef {
  label: (t: TFunction) => string;
  w?: number;
  miw?: number;
  num?: boolean;
  className?: string;
  cell: (c: Cell) => ReactNode;
}

const COLUMNS = {
  number: { label: (t) => t('orderList.number'), w: 70, className: 'mono', cell: () => null },
  status: {
    label: (t) => t('orderList.status'),
    w: 70,
    className: 'nowrap',
    cell: ({ o }) => <OrderStatusBadge status={o.status} />,
  },
  kind: {
    label: (t) => t('orderDesk.kind'),
    w: 50,
    className: 'nowrap',
    cell: ({ o, t, defaultKind }) => t(`orderDesk.kinds.${o.kind ?? defaultKind}`),
  },
  channel: {
    label: (t) => t('orderDesk.channel'),
    w: 50,
    className: 'nowrap',
    cell: ({ o, t }) => (o.channel ? t(`orderDesk.channels.${o.channel}`) : ''),
  },
  customerCode: {
    label: (t) => t('orderList.customerCode'),
    w: 90,
    className: 'mono nowrap',
    cell: ({ o }) => o.customerCode ?? '',
  },
  customerName: {
    label: (t) => t('orderList.customerName'),
    w: 120,
    className: 'nowrap',
    cell: ({ o }) => o.customerName ?? '',
  },
  /** The whole ship-to address (prefecture, city, address). */
  shipTo: {
    label: (t) => t('orderList.shipTo'),
    miw: 160,
    cell: ({ o }) => (o.shipTo ? [o.shipTo.prefecture, o.shipTo.city, o.shipTo.address1].filter(Boolean).join('') : ''),
  },
  /** The ship-to prefecture only. */
  destination: {
    label: (t) => t('orderDesk.destinationShort'),
    w: 70,
    className: 'nowrap',
    cell: ({ o }) => o.shipTo?.prefecture ?? '',
  },
  adMedium: { label: (t) => t('orderDesk.adMedium'), miw: 120, cell: ({ o, adName }) => adName(o.adMediumId) },
  carrier: {
    label: (t) => t('orderDesk.carrier'),
    w: 60,
    className: 'nowrap',
    cell: ({ o, t }) => (o.carrier ? t(`orderDesk.carriers.${o.carrier}`) : ''),
  },
  goods: { label: (t) => t('orderDesk.productName'), miw: 180, cell: ({ goods }) => goods.name },
  quantity: {
    label: (t) => t('orderDesk.quantityShort'),
    w: 40,
    num: true,
    className: 'num',
    cell: ({ goods }) => goods.quantity || '',
  },
  amount: {
    label: (t) => t('orderDesk.amount'),
    w: 80,
    num: true,
    className: 'num',
    cell: ({ o }) => yen(o.total),
  },
  paid: {
    label: (t) => t('orderDesk.paid'),
    w: 40,
    cell: ({ o, t }) =>
      o.paidAmount === undefined
        ? ''
        : o.paidAmount >= o.total && o.total > 0
          ? t('orderDesk.paidYes')
          : t('orderDesk.paidNo'),
  },
  orderDate: {
    label: (t) => t('orderDesk.orderDate'),
    w: 86,
    className: 'nowrap',
    cell: ({ o }) => shortDate(o.orderDate ?? o.orderedAt),
  },
  shipDate: {
    label: (t) => t('orderDesk.shipDate'),
    w: 86,
    className: 'nowrap',
    cell: ({ o }) => shortDate(o.shipDate),
  },
  /** The delivery date, else (a 定期 order) the scheduled one. */
  deliveryDate: {
    label: (t) => t('orderDesk.deliveryDate'),
    w: 86,
    className: 'nowrap',
    cell: ({ o }) => shortDate(o.deliveryDate ?? o.subscriptionDeliveryDate),
  },
  staff: { label: (t) => t('orderList.staff'), w: 80, className: 'nowrap', cell: ({ o }) => o.staffName ?? '' },
} satisfies Record<string, ColumnDef>;

type OrderColumnId = keyof typeof COLUMNS;
/** A column by its id, or with its own width / header. */
export type OrderColumn = OrderColumnId | { id: OrderColumnId; w?: number; miw?: number; label?: string };

interface Props<O extends Row> {
  orders: O[];
  columns: OrderColumn[];
  minWidth: number;
  /** The table's test id; rows are `<rowTestid>-<order id>`. */
  testid: string;
  rowTestid: string;
  /** Test id prefix of the number's link, and of the channel cell (`<prefix>-<order id>`). */
  linkTestid?: string;
  channelTestid?: string;
  /** The line shown when there are no orders. */
  empty: string;
  /** 伝票区分 of an order that has none. */
  defaultKind?: OrderKind;
  highlightId?: string | null;
  onRowClick?: (order: O) => void;
  /** A last column without a header (buttons of the row). */
  actions?: (order: O) => ReactNode;
}

/** The dense orders table of 受注一覧, 購入履歴 and a 定期's orders: the number links to the order. */
export function OrderTable<O extends Row>({
  orders,
  columns,
  minWidth,
  testid,
  rowTestid,
  linkTestid,
  channelTestid,
  empty,
  defaultKind = 'normal',
  highlightId,
  onRowClick,
  actions,
}: Props<O>) {
  const { t } = useTranslation();
  const adName = useAdMediumName();
  const cols = columns.map((c) => {
    const spec = typeof c === 'string' ? { id: c } : c;
    const def: ColumnDef = COLUMNS[spec.id];
    return { ...def, ...spec, label: spec.label ?? def.label(t) };
  });
  const span = cols.length + (actions ? 1 : 0);
  return (
    <Table.ScrollContainer minWidth={minWidth}>
      <Table data-testid={testid}>
        <Table.Thead className="nowrap">
          <Table.Tr>
            {cols.map((c) => (
              <Table.Th key={c.id} w={c.w} miw={c.miw} className={c.num ? 'num' : undefined}>
                {c.label}
              </Table.Th>
            ))}
            {actions ? <Table.Th w={80} /> : null}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {orders.length === 0 ? (
            <Table.Tr>
              <Table.Td colSpan={span}>
                <Text size="xs" c="dimmed" ta="center">
                  {empty}
                </Text>
              </Table.Td>
            </Table.Tr>
          ) : null}
          {orders.map((o) => {
            const cell: Cell = {
              o,
              t,
              goods: goodsOf(o, (n) => t('orderDesk.andMore', { count: n })),
              adName,
              defaultKind,
            };
            return (
              <Table.Tr
                key={o.id}
                data-testid={`${rowTestid}-${o.id}`}
                data-number={o.number}
                bg={highlightId !== undefined && o.id === highlightId ? 'yellow.0' : undefined}
                style={onRowClick ? { cursor: 'pointer' } : undefined}
                onClick={onRowClick ? () => onRowClick(o) : undefined}
              >
                {cols.map((c) => (
                  <Table.Td
                    key={c.id}
                    className={c.className}
                    data-testid={c.id === 'channel' && channelTestid ? `${channelTestid}-${o.id}` : undefined}
                  >
                    {c.id === 'number' ? (
                      <Link
                        to="/orders/$orderId"
                        params={{ orderId: o.id }}
                        onClick={onRowClick ? (e) => e.stopPropagation() : undefined}
                        data-testid={linkTestid ? `${linkTestid}-${o.id}` : undefined}
                      >
                        {o.number}
                      </Link>
                    ) : (
                      c.cell(cell)
                    )}
                  </Table.Td>
                ))}
                {actions ? <Table.Td>{actions(o)}</Table.Td> : null}
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
