import { Combobox, Group, Text, TextInput, useCombobox } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { type KeyboardEvent, type Ref, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Product } from '../../api/catalogue';
import { findProductByCode, productSearchQuery } from '../../api/orders';

export const yen = (n: number | null | undefined) => (n === null || n === undefined ? '' : n.toLocaleString('ja-JP'));

interface Props {
  value: string;
  error?: string | undefined;
  inputRef?: Ref<HTMLInputElement>;
  testid: string;
  onChange: (text: string) => void;
  /** A product was taken (Enter on an exact code, or a suggestion picked). */
  onPick: (product: Product) => void;
  /** Enter with nothing typed (the operator is done with the lines). */
  onEmptyEnter: () => void;
  onNotFound: (code: string) => void;
}

/**
 * 商品コード: type a code and Enter, or a part of the name (kana too) and pick with ↓ Enter.
 * The suggestions come from GET /products?q= (on sale today).
 */
export function ProductCodeInput({
  value,
  error,
  inputRef,
  testid,
  onChange,
  onPick,
  onEmptyEnter,
  onNotFound,
}: Props) {
  const { t } = useTranslation();
  const combobox = useCombobox({ onDropdownClose: () => combobox.resetSelectedOption() });
  const [debounced] = useDebouncedValue(value.trim(), 200);
  const search = useQuery(productSearchQuery(debounced));
  const results = debounced === '' ? [] : (search.data?.items ?? []);
  const [busy, setBusy] = useState(false);

  const pick = (product: Product) => {
    combobox.closeDropdown();
    onPick(product);
  };

  const onKeyDown = async (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key !== 'Enter' || event.nativeEvent.isComposing || event.keyCode === 229) return;
    // ↓ then Enter: the combobox clicks the highlighted suggestion itself.
    if (combobox.dropdownOpened && combobox.getSelectedOptionIndex() !== -1) return;
    event.preventDefault();
    const typed = value.normalize('NFKC').trim();
    if (typed === '') {
      onEmptyEnter();
      return;
    }
    const exact = results.find((p) => p.code.toUpperCase() === typed.toUpperCase());
    if (exact) return pick(exact);
    setBusy(true);
    try {
      const found = await findProductByCode(typed);
      if (found) return pick(found);
      const only = results.length === 1 ? results[0] : undefined;
      if (only && debounced === value.trim()) return pick(only);
      combobox.openDropdown();
      onNotFound(typed);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Combobox
      store={combobox}
      onOptionSubmit={(id) => {
        const product = results.find((p) => p.id === id);
        if (product) pick(product);
      }}
      withinPortal
      position="bottom-start"
      width={420}
    >
      <Combobox.Target>
        <TextInput
          ref={inputRef}
          value={value}
          error={error}
          aria-label={t('orderDesk.productCode')}
          placeholder={t('orderDesk.productCodeHint')}
          autoComplete="off"
          className="mono"
          data-testid={testid}
          data-busy={busy || search.isFetching || undefined}
          onChange={(event) => {
            onChange(event.currentTarget.value);
            if (event.currentTarget.value.trim() !== '') combobox.openDropdown();
            else combobox.closeDropdown();
          }}
          onBlur={() => combobox.closeDropdown()}
          onKeyDown={(event) => void onKeyDown(event)}
        />
      </Combobox.Target>
      <Combobox.Dropdown hidden={debounced === '' || (results.length === 0 && !search.isFetched)}>
        <Combobox.Options data-testid={`${testid}-options`}>
          {results.length === 0 ? <Combobox.Empty>{t('orderDesk.noProduct')}</Combobox.Empty> : null}
          {results.map((p) => (
            <Combobox.Option value={p.id} key={p.id} data-testid={`product-option-${p.code}`}>
              <Group gap={8} wrap="nowrap" justify="space-between">
                <Group gap={8} wrap="nowrap">
                  <Text size="xs" className="mono" w={70}>
                    {p.code}
                  </Text>
                  <Text size="xs">{p.name}</Text>
                </Group>
                <Text size="xs" className="num" c="dimmed">
                  ¥{yen(p.unitPrice)}
                </Text>
              </Group>
            </Combobox.Option>
          ))}
        </Combobox.Options>
      </Combobox.Dropdown>
    </Combobox>
  );
}
