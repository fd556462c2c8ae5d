import {
  ActionIcon,
  Alert,
  Button,
  Checkbox,
  Group,
  Modal,
  NativeSelect,
  NumberInput,
  SegmentedControl,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { findProductByCode, type Order, ordersKey } from '../../api/orders';
import {
  createReturn,
  paymentsKey,
  type ReturnInput,
  type ReturnRecord,
  returnReasonsQuery,
  returnsKey,
} from '../../api/payments';
import { FormAlert } from '../../components/FormAlert';
import { FnButton } from '../../components/fkeys';
import { todayInTokyo } from '../../lib/datetime';
import { notifySuccess } from '../../lib/notify';
import { yen } from '../masters/common';

type ExchangeRow = { code: string; productId: string | null; name: string; quantity: number | string };

/** Order statuses a return may be entered on (the server answers 409 otherwise). */
export const RETURNABLE = new Set(['shipped', 'completed']);

/**
 * 返品入力 of a shipped order: the reason (返品理由 master), the quantities per line (up to what was
 * shipped and not yet returned), restock, and a refund (default: the server's computation at the
 * order's prices incl. tax; may be lowered) or an exchange (a new order, 0 yen unless charged).
 */
export function ReturnEntryModal({ order, opened, onClose }: { order: Order; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const reasons = useQuery({ ...returnReasonsQuery(), enabled: opened });
  const [reasonId, setReasonId] = useState('');
  const [receivedOn, setReceivedOn] = useState(todayInTokyo());
  const [quantities, setQuantities] = useState<Record<number, number | string>>({});
  const [restock, setRestock] = useState(true);
  const [resolution, setResolution] = useState<'refund' | 'exchange'>('refund');
  const [refund, setRefund] = useState<number | string>('');
  const [exchange, setExchange] = useState<ExchangeRow[]>([]);
  const [charge, setCharge] = useState(false);
  const [note, setNote] = useState('');
  const [problem, setProblem] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState<ReturnRecord | null>(null);
  const firstReason = reasons.data?.[0]?.id ?? '';

  const lines = order.lines.map((l, i) => ({
    ...l,
    lineNo: l.lineNo ?? i + 1,
    open: l.quantity - (l.returnedQuantity ?? 0),
  }));

  useEffect(() => {
    if (!opened) return;
    setReceivedOn(todayInTokyo());
    setQuantities({});
    setRestock(true);
    setResolution('refund');
    setRefund('');
    setExchange([]);
    setCharge(false);
    setNote('');
    setProblem(null);
    setSaved(null);
  }, [opened]);
  useEffect(() => {
    if (opened) setReasonId(firstReason);
  }, [opened, firstReason]);

  const chosen = lines
    .map((l) => ({ lineNo: l.lineNo, quantity: Number(quantities[l.lineNo] || 0) }))
    .filter((l) => l.quantity > 0);

  const lookUp = async (index: number, code: string) => {
    const product = code.trim() ? await findProductByCode(code) : null;
    setExchange((rows) =>
      rows.map((r, i) =>
        i === index
          ? {
              ...r,
              productId: product?.id ?? null,
              name: product ? product.name : code.trim() ? t('returns.entry.noProduct') : '',
            }
          : r,
      ),
    );
  };

  const save = async () => {
    setBusy(true);
    setProblem(null);
    try {
      const body: ReturnInput = {
        reasonId,
        receivedOn,
        lines: chosen,
        restock,
        resolution,
        note: note.trim() || undefined,
      };
      if (refund !== '' && refund !== undefined) body.refundAmount = Number(refund);
      if (resolution === 'exchange')
        body.exchange = {
          lines: exchange
            .filter((r) => r.productId && Number(r.quantity) > 0)
            .map((r) => ({ productId: r.productId as string, quantity: Number(r.quantity) })),
          charge,
        };
      const created = await createReturn(order.id, body);
      setSaved(created);
      await queryClient.invalidateQueries({ queryKey: ordersKey });
      await queryClient.invalidateQueries({ queryKey: paymentsKey });
      await queryClient.invalidateQueries({ queryKey: returnsKey });
      await queryClient.invalidateQueries({ queryKey: ['interactions'] });
      notifySuccess(t('returns.entry.saved', { number: created.orderNumber, amount: yen(created.refundAmount) }));
    } catch (error) {
      setProblem(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal opened={opened} onClose={onClose} title={t('returns.entry.title', { number: order.number })} size="xl">
      <Stack gap={6} data-testid="return-form">
        <FormAlert error={problem} testid="return-error" />
        {saved ? (
          <Alert color="teal" p="xs" title={t('returns.entry.doneTitle')} data-testid="return-done">
            {t('returns.entry.doneMessage', {
              refund: yen(saved.refundAmount),
              computed: yen(saved.computedRefund),
              status: t(`orderList.statuses.${saved.orderStatus}` as 'orderList.statuses.shipped'),
            })}
            {saved.exchangeOrderId ? ` ${t('returns.entry.exchangeMade')}` : ''}
          </Alert>
        ) : null}
        <Group gap={6} grow>
          <NativeSelect
            label={t('returns.reason')}
            value={reasonId}
            onChange={(e) => setReasonId(e.currentTarget.value)}
            data={(reasons.data ?? []).map((r) => ({ value: r.id, label: r.name }))}
            data-testid="return-reason"
          />
          <TextInput
            type="date"
            label={t('returns.receivedOn')}
            value={receivedOn}
            onChange={(e) => setReceivedOn(e.currentTarget.value)}
            data-testid="return-received-on"
          />
        </Group>
        <Table data-testid="return-lines">
          <Table.Thead className="nowrap">
            <Table.Tr>
              <Table.Th w={30}>#</Table.Th>
              <Table.Th w={110}>{t('orderDesk.productCode')}</Table.Th>
              <Table.Th>{t('orderDesk.productName')}</Table.Th>
              <Table.Th w={80} className="num">
                {t('orderDesk.unitPrice')}
              </Table.Th>
              <Table.Th w={70} className="num">
                {t('returns.entry.shipped')}
              </Table.Th>
              <Table.Th w={70} className="num">
                {t('returns.entry.alreadyReturned')}
              </Table.Th>
              <Table.Th w={100}>{t('returns.entry.quantity')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {lines.map((l) => (
              <Table.Tr key={l.lineNo}>
                <Table.Td className="num">{l.lineNo}</Table.Td>
                <Table.Td className="mono">{l.productCode}</Table.Td>
                <Table.Td>{l.productName}</Table.Td>
                <Table.Td className="num">{yen(l.unitPrice)}</Table.Td>
                <Table.Td className="num">{l.quantity}</Table.Td>
                <Table.Td className="num">{l.returnedQuantity ?? 0}</Table.Td>
                <Table.Td>
                  <NumberInput
                    size="xs"
                    aria-label={t('returns.entry.quantityOf', { line: l.lineNo })}
                    value={quantities[l.lineNo] ?? ''}
                    onChange={(v) => setQuantities((q) => ({ ...q, [l.lineNo]: v }))}
                    min={0}
                    max={l.open}
                    disabled={l.open <= 0}
                    placeholder={`0–${Math.max(l.open, 0)}`}
                    hideControls
                    data-testid={`return-qty-${l.lineNo}`}
                  />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <Group gap={12}>
          <Checkbox
            label={t('returns.entry.restock')}
            checked={restock}
            onChange={(e) => setRestock(e.currentTarget.checked)}
            data-testid="return-restock"
          />
          <SegmentedControl
            size="xs"
            value={resolution}
            onChange={(v) => setResolution(v as 'refund' | 'exchange')}
            data={[
              { value: 'refund', label: t('returns.resolutions.refund') },
              { value: 'exchange', label: t('returns.resolutions.exchange') },
            ]}
            data-testid="return-resolution"
          />
          <NumberInput
            size="xs"
            w={170}
            label={t('returns.entry.refundAmount')}
            placeholder={t('returns.entry.refundAuto')}
            value={refund}
            onChange={setRefund}
            min={0}
            thousandSeparator=","
            prefix="¥"
            hideControls
            data-testid="return-refund"
          />
        </Group>
        {resolution === 'exchange' ? (
          <Stack gap={4} data-testid="return-exchange">
            <Text size="xs" fw={600}>
              {t('returns.entry.exchangeLines')}
            </Text>
            {exchange.map((r, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: rows are only appended or removed by the person typing
              <Group key={i} gap={6}>
                <TextInput
                  size="xs"
                  w={150}
                  placeholder={t('orderDesk.productCode')}
                  value={r.code}
                  onChange={(e) => {
                    const code = e.currentTarget.value;
                    setExchange((rows) =>
                      rows.map((x, j) => (j === i ? { ...x, code, productId: null, name: '' } : x)),
                    );
                  }}
                  onBlur={(e) => void lookUp(i, e.currentTarget.value)}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter') void lookUp(i, e.currentTarget.value);
                  }}
                  data-testid={`return-exchange-code-${i}`}
                />
                <Text size="xs" w={220} c={r.productId ? undefined : 'red'}>
                  {r.name}
                </Text>
                <NumberInput
                  size="xs"
                  w={80}
                  min={1}
                  max={9999}
                  value={r.quantity}
                  onChange={(v) => setExchange((rows) => rows.map((x, j) => (j === i ? { ...x, quantity: v } : x)))}
                  hideControls
                  aria-label={t('orderDesk.quantity')}
                />
                <ActionIcon
                  variant="subtle"
                  color="red"
                  aria-label={t('orderDesk.removeLine')}
                  onClick={() => setExchange((rows) => rows.filter((_, j) => j !== i))}
                >
                  <IconTrash size={14} />
                </ActionIcon>
              </Group>
            ))}
            <Group gap={6}>
              <Button
                size="compact-xs"
                variant="light"
                leftSection={<IconPlus size={12} />}
                onClick={() => setExchange((rows) => [...rows, { code: '', productId: null, name: '', quantity: 1 }])}
                data-testid="return-exchange-add"
              >
                {t('returns.entry.addExchange')}
              </Button>
              <Checkbox
                label={t('returns.entry.charge')}
                checked={charge}
                onChange={(e) => setCharge(e.currentTarget.checked)}
              />
            </Group>
          </Stack>
        ) : null}
        <TextInput
          label={t('returns.note')}
          value={note}
          maxLength={1000}
          onChange={(e) => setNote(e.currentTarget.value)}
          data-testid="return-note"
        />
        <Group justify="flex-end" gap={6}>
          <FnButton fkey="F3" variant="default" onClick={onClose} testid="return-close">
            {saved ? t('returns.entry.close') : t('common.cancel')}
          </FnButton>
          <FnButton
            fkey="F1"
            loading={busy}
            disabled={Boolean(saved) || !reasonId || chosen.length === 0}
            onClick={() => void save()}
            testid="return-save"
          >
            {t('returns.entry.save')}
          </FnButton>
        </Group>
      </Stack>
    </Modal>
  );
}
