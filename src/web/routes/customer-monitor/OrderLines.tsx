import { ActionIcon, Badge, Table, Text, TextInput } from '@mantine/core';
import { IconX } from '@tabler/icons-react';
import { type KeyboardEvent, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { Quote } from '../../api/orders';
import { type DraftErrors, type DraftLine, newLine, parseQuantity } from './orderFormModel';
import { ProductCodeInput, yen } from './ProductCodeInput';

interface Props {
  lines: DraftLine[];
  errors: DraftErrors;
  quote: Quote | null;
  onChange: (update: (lines: DraftLine[]) => DraftLine[]) => void;
  onClearError: (key: string) => void;
  onNotFound: (lineKey: string, code: string) => void;
  /** Enter on an empty code: on to the header fields (伝票区分). */
  onDone: () => void;
}

const focusSoon = (el: HTMLElement | null | undefined) => setTimeout(() => el?.focus(), 0);

/**
 * 商品コード / 商品名 / 単価 / 個数 / 金額: Enter on a code takes the product and moves to 個数;
 * Enter on 個数 opens the next line. The amounts are the quote's (campaign prices included);
 * presents and set contents the quote adds show below the line they belong to.
 */
export function OrderLines({ lines, errors, quote, onChange, onClearError, onNotFound, onDone }: Props) {
  const { t } = useTranslation();
  const codeRefs = useRef(new Map<string, HTMLInputElement | null>());
  const qtyRefs = useRef(new Map<string, HTMLInputElement | null>());

  const update = (key: string, patch: Partial<DraftLine>) =>
    onChange((all) => all.map((l) => (l.key === key ? { ...l, ...patch } : l)));

  const onQuantityKey = (event: KeyboardEvent<HTMLInputElement>, index: number) => {
    if (event.key !== 'Enter' || event.nativeEvent.isComposing) return;
    event.preventDefault();
    const next = lines[index + 1];
    if (next) return focusSoon(codeRefs.current.get(next.key));
    const added = newLine();
    onChange((all) => [...all, added]);
    setTimeout(() => codeRefs.current.get(added.key)?.focus(), 0);
  };

  // The quote's item lines follow the filled draft lines in order; extras hang below them.
  const quoted = quote?.lines ?? [];
  const items = quoted.filter((l) => (l.kind ?? 'item') === 'item');
  const extras = quoted.filter((l) => (l.kind ?? 'item') !== 'item');
  let filled = -1;

  return (
    <Table striped={false} highlightOnHover={false} data-testid="order-lines" verticalSpacing={2}>
      <Table.Thead className="nowrap">
        <Table.Tr>
          <Table.Th w={28}>#</Table.Th>
          <Table.Th w={150}>{t('orderDesk.productCode')}</Table.Th>
          <Table.Th>{t('orderDesk.productName')}</Table.Th>
          <Table.Th w={80} className="num">
            {t('orderDesk.unitPrice')}
          </Table.Th>
          <Table.Th w={70} className="num">
            {t('orderDesk.quantity')}
          </Table.Th>
          <Table.Th w={90} className="num">
            {t('orderDesk.amount')}
          </Table.Th>
          <Table.Th w={44} className="num">
            {t('orderDesk.taxRate')}
          </Table.Th>
          <Table.Th w={28} />
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {lines.map((line, index) => {
          const quantity = parseQuantity(line.quantity);
          if (line.product && quantity !== null) filled += 1;
          const q = line.product && quantity !== null ? items[filled] : undefined;
          const unitPrice = q?.unitPrice ?? line.product?.unitPrice;
          const amount = q?.amount ?? (unitPrice !== undefined && quantity !== null ? unitPrice * quantity : undefined);
          const special =
            q && line.product && line.product.listPrice !== false && q.unitPrice !== line.product.unitPrice;
          return (
            <Table.Tr key={line.key} data-testid={`order-line-${index}`}>
              <Table.Td className="num" c="dimmed">
                {index + 1}
              </Table.Td>
              <Table.Td>
                <ProductCodeInput
                  value={line.code}
                  error={errors[`lines.${line.key}.code`]}
                  testid={`order-line-code-${index}`}
                  inputRef={(el) => {
                    codeRefs.current.set(line.key, el);
                  }}
                  onChange={(code) => {
                    update(line.key, { code, product: null });
                    onClearError(`lines.${line.key}.code`);
                  }}
                  onPick={(product) => {
                    update(line.key, { code: product.code, product });
                    onClearError(`lines.${line.key}.code`);
                    const qty = qtyRefs.current.get(line.key);
                    focusSoon(qty);
                    setTimeout(() => qty?.select(), 0);
                  }}
                  onEmptyEnter={onDone}
                  onNotFound={(code) => onNotFound(line.key, code)}
                />
              </Table.Td>
              <Table.Td data-testid={`order-line-name-${index}`}>
                {line.product?.name ?? ''}
                {special ? (
                  <Badge ml={4} color="grape" size="xs">
                    {t('orderDesk.campaignPrice')}
                  </Badge>
                ) : null}
              </Table.Td>
              <Table.Td className="num">{yen(unitPrice)}</Table.Td>
              <Table.Td>
                <TextInput
                  ref={(el) => {
                    qtyRefs.current.set(line.key, el);
                  }}
                  value={line.quantity}
                  inputMode="numeric"
                  aria-label={t('orderDesk.quantity')}
                  error={
                    errors[`lines.${line.key}.quantity`] ??
                    (line.quantity !== '' && quantity === null ? t('orderDesk.quantityInvalid') : undefined)
                  }
                  styles={{ input: { textAlign: 'right' } }}
                  data-testid={`order-line-qty-${index}`}
                  onChange={(event) => {
                    update(line.key, { quantity: event.currentTarget.value });
                    onClearError(`lines.${line.key}.quantity`);
                  }}
                  onKeyDown={(event) => onQuantityKey(event, index)}
                />
              </Table.Td>
              <Table.Td className="num" data-testid={`order-line-amount-${index}`}>
                {yen(amount)}
              </Table.Td>
              <Table.Td className="num">{line.product ? `${line.product.taxRate}%` : ''}</Table.Td>
              <Table.Td>
                {lines.length > 1 ? (
                  <ActionIcon
                    tabIndex={-1}
                    color="gray"
                    aria-label={t('orderDesk.removeLine')}
                    onClick={() => onChange((all) => all.filter((l) => l.key !== line.key))}
                    data-testid={`order-line-remove-${index}`}
                  >
                    <IconX size={12} />
                  </ActionIcon>
                ) : null}
              </Table.Td>
            </Table.Tr>
          );
        })}
        {extras.map((l, i) => (
          <Table.Tr key={`extra-${l.lineNo ?? i}`} data-testid={`order-extra-${i}`}>
            <Table.Td />
            <Table.Td className="mono" c="dimmed">
              {l.productCode}
            </Table.Td>
            <Table.Td c="dimmed" className="nowrap">
              <Badge size="xs" color={l.kind === 'present' ? 'pink' : 'gray'} mr={4}>
                {t(l.kind === 'present' ? 'orderDesk.present' : 'orderDesk.component')}
              </Badge>
              {l.productName}
            </Table.Td>
            <Table.Td className="num" c="dimmed">
              {yen(l.unitPrice)}
            </Table.Td>
            <Table.Td className="num" c="dimmed">
              {l.quantity}
            </Table.Td>
            <Table.Td className="num" c="dimmed">
              {yen(l.amount)}
            </Table.Td>
            <Table.Td />
            <Table.Td />
          </Table.Tr>
        ))}
        {errors.lines ? (
          <Table.Tr>
            <Table.Td colSpan={8}>
              <Text size="xs" c="red" data-testid="order-lines-error">
                {errors.lines}
              </Text>
            </Table.Td>
          </Table.Tr>
        ) : null}
      </Table.Tbody>
    </Table>
  );
}
