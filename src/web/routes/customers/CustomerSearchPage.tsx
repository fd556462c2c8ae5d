import { Anchor, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconSearch } from '@tabler/icons-react';
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { type KeyboardEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Customer, customersKey } from '../../api/customers';
import { allItems, pagedQuery } from '../../api/paged';
import type { Page } from '../../api/types';
import { FnButton, useFnKey } from '../../components/fkeys';
import { MoreButton } from '../../components/MoreButton';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { formatPhone } from '../../lib/phone';
import { ageOn } from '../../lib/tokyo';
import { CsvButtons } from '../lists/CsvButtons';

/** Digits, hyphens, spaces, +, parentheses (any width): what the operator typed is a phone number. */
export function looksLikePhone(text: string): boolean {
  const t = text.normalize('NFKC').trim();
  return /^[+\d\s\-‐‑–—―−ー()]+$/.test(t) && t.replace(/\D/g, '').length >= 4;
}

export function addressLine(c: Pick<Customer, 'prefecture' | 'city' | 'address1' | 'address2'>): string {
  return [c.prefecture, c.city, c.address1, c.address2].filter(Boolean).join(' ');
}

function CustomerRow({ customer, selected, onOpen }: { customer: Customer; selected: boolean; onOpen: () => void }) {
  const age = ageOn(customer.birthDate);
  return (
    <Table.Tr
      data-testid={`customer-row-${customer.id}`}
      data-selected={selected || undefined}
      bg={selected ? 'indigo.0' : undefined}
      style={{ cursor: 'pointer' }}
      onClick={onOpen}
    >
      <Table.Td className="nowrap mono">{customer.code}</Table.Td>
      <Table.Td className="nowrap">
        <Anchor
          href={`/customers/${customer.id}`}
          onClick={(event) => {
            event.preventDefault();
            event.stopPropagation();
            onOpen();
          }}
          size="xs"
          fw={600}
          tabIndex={-1}
        >
          {customer.name}
        </Anchor>
        {customer.nameKana ? (
          <Text span size="xs" c="dimmed" ml={6}>
            {customer.nameKana}
          </Text>
        ) : null}
      </Table.Td>
      <Table.Td className="nowrap">{customer.phones.map((p) => formatPhone(p.e164 || p.number)).join(' / ')}</Table.Td>
      <Table.Td>{addressLine(customer)}</Table.Td>
      <Table.Td className="num">{age ?? ''}</Table.Td>
      <Table.Td>
        {customer.alert ? (
          <Text size="xs" c="red.8" fw={600} lineClamp={1} title={customer.alert}>
            {customer.alert}
          </Text>
        ) : null}
      </Table.Td>
    </Table.Tr>
  );
}

/** 顧客検索: one box for any phone format, name, kana, code or e-mail; Enter opens the monitor. */
export function CustomerSearchPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const search: { q?: string } = useSearch({ strict: false });
  const [q, setQ] = useState(search.q ?? '');
  const [debounced] = useDebouncedValue(q.trim(), 250);
  const [selected, setSelected] = useState(0);
  const [pendingEnter, setPendingEnter] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  const list = useInfiniteQuery({
    ...pagedQuery<Page<Customer>>([...customersKey, 'search'], '/customers', { q: debounced.slice(0, 100) }),
    placeholderData: keepPreviousData,
  });
  const customers = allItems(list.data?.pages);

  // Keep the query in the address (back from the monitor restores it) and the first row selected.
  useEffect(() => {
    setSelected(0);
    void navigate({ to: '/customers', search: debounced ? { q: debounced } : {}, replace: true });
  }, [debounced, navigate]);

  const open = (customer: Customer | undefined) => {
    if (customer) void navigate({ to: '/customers/$customerId', params: { customerId: customer.id }, search: {} });
  };
  const createNew = () => {
    const text = q.trim();
    const prefill = !text ? {} : looksLikePhone(text) ? { phone: text } : { name: text };
    void navigate({ to: '/customers/new', search: prefill });
  };
  useFnKey('F3', () => inputRef.current?.select());
  const settled = debounced === q.trim() && !list.isFetching && list.data !== undefined;
  useEffect(() => {
    if (!pendingEnter || !settled) return;
    setPendingEnter(false);
    open(customers[selected]);
  });

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.nativeEvent.isComposing) return;
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      setSelected((i) => Math.min(i + 1, Math.max(customers.length - 1, 0)));
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      setSelected((i) => Math.max(i - 1, 0));
    } else if (event.key === 'Enter') {
      event.preventDefault();
      // Enter before the search caught up with the text: open the first match once it has.
      setPendingEnter(true);
    }
  };

  return (
    <>
      <PageHeader title={t('customers.title')}>
        {/* The customers the search finds (every customer when it is empty); supervisors and admins. */}
        <CsvButtons
          path="/customers/export"
          query={{ q: debounced.slice(0, 100) || undefined }}
          testid="customer-search-export"
        />
        <FnButton fkey="F5" variant="default" onClick={() => void list.refetch()} testid="customer-search-refresh">
          {t('common.refresh')}
        </FnButton>
        <FnButton fkey="F2" onClick={createNew} testid="customer-search-new">
          {t('customers.create')}
        </FnButton>
      </PageHeader>
      <TextInput
        ref={inputRef}
        size="sm"
        autoFocus
        placeholder={`F3 ${t('customers.search')}`}
        description={t('customers.searchHint')}
        leftSection={<IconSearch size={16} />}
        value={q}
        onChange={(event) => setQ(event.currentTarget.value)}
        onKeyDown={onKeyDown}
        aria-label={t('customers.search')}
        data-testid="customer-search-input"
        mb="xs"
        maw={640}
      />
      {list.data ? (
        <Table.ScrollContainer minWidth={820}>
          <Table data-testid="customer-search-table" aria-busy={list.isFetching}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={90}>{t('customers.code')}</Table.Th>
                <Table.Th>{t('customers.name')}</Table.Th>
                <Table.Th>{t('customers.phones')}</Table.Th>
                <Table.Th>{t('customers.address')}</Table.Th>
                <Table.Th w={50}>{t('customers.age')}</Table.Th>
                <Table.Th w={200}>{t('customers.alert')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {customers.length === 0 ? (
                <Table.Tr>
                  <Table.Td colSpan={6}>
                    <Text size="sm" c="dimmed" ta="center" data-testid="customer-search-empty">
                      {t('customers.noMatch')}
                      {q.trim() ? (
                        <Anchor component="button" type="button" size="sm" ml="sm" onClick={createNew}>
                          {t('customers.createFromQuery', { q: q.trim() })}
                        </Anchor>
                      ) : null}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ) : null}
              {customers.map((customer, index) => (
                <CustomerRow
                  key={customer.id}
                  customer={customer}
                  selected={index === selected}
                  onOpen={() => open(customer)}
                />
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : (
        <QueryState error={list.error} onRetry={() => void list.refetch()} />
      )}
      {list.data ? (
        <MoreButton
          hasMore={list.hasNextPage}
          loading={list.isFetchingNextPage}
          shown={customers.length}
          onMore={() => void list.fetchNextPage()}
          testid="customer-search-more"
        />
      ) : null}
    </>
  );
}
