import { Button, Group, Modal, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Quote } from '../../api/orders';
import { FormAlert } from '../../components/FormAlert';
import { FnButton } from '../../components/fkeys';
import { i18n } from '../../i18n';
import { formatDate } from '../../lib/datetime';
import { OrderTotals } from './OrderTotals';
import type { DraftLine } from './orderFormModel';

interface Props {
  opened: boolean;
  lines: { line: DraftLine; quantity: number }[];
  quote: Quote | null;
  destination: string;
  payment: string;
  busy: boolean;
  problem: unknown;
  onClose: () => void;
  onConfirm: () => void;
}

/** 入力確認「受注を登録しますか？」: F1 or Enter registers, Esc goes back to the form. */
export function OrderConfirmModal({
  opened,
  lines,
  quote,
  destination,
  payment,
  busy,
  problem,
  onClose,
  onConfirm,
}: Props) {
  const { t } = useTranslation();
  const date = (d: string | null | undefined) => (d ? formatDate(d, i18n.language) : '—');
  return (
    <Modal opened={opened} onClose={onClose} title={t('orderDesk.confirmTitle')} size="lg">
      <Stack gap={6} data-testid="order-confirm">
        <Text size="sm" fw={600}>
          {t('orderDesk.confirmQuestion')}
        </Text>
        <Table striped={false} highlightOnHover={false}>
          <Table.Tbody>
            {lines.map(({ line, quantity }) => (
              <Table.Tr key={line.key}>
                <Table.Td className="mono" w={90}>
                  {line.product?.code}
                </Table.Td>
                <Table.Td>{line.product?.name}</Table.Td>
                <Table.Td className="num" w={60}>
                  {quantity}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <Group gap="md" align="flex-start" wrap="nowrap">
          <Stack gap={2} style={{ flex: 1 }}>
            <Text size="xs">
              {t('orderDesk.destination')}: {destination}
            </Text>
            <Text size="xs">
              {t('orderDesk.payment')}: {payment}
            </Text>
            <Text size="xs">
              {t('orderDesk.shipDate')}: {date(quote?.shipDate)}
            </Text>
            <Text size="xs">
              {t('orderDesk.deliveryDate')}: {date(quote?.deliveryDate)}
            </Text>
          </Stack>
          <div style={{ width: 320 }}>
            <OrderTotals quote={quote} testid="order-confirm-totals" />
          </div>
        </Group>
        {quote ? null : (
          <Text size="xs" c="orange.8">
            {t('orderDesk.noQuoteYet', { total: '' })}
          </Text>
        )}
        <FormAlert error={problem} testid="order-confirm-error" />
        <Group justify="flex-end" gap={6}>
          <Button variant="default" onClick={onClose} data-testid="order-confirm-no">
            {t('orderDesk.no')}
          </Button>
          <FnButton fkey="F1" loading={busy} onClick={onConfirm} data-autofocus testid="order-confirm-yes">
            {t('orderDesk.yesRegister')}
          </FnButton>
        </Group>
      </Stack>
    </Modal>
  );
}
