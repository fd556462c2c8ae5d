import { Button, Group, Select, Table, Text, TextInput } from '@mantine/core';
import { IconFileImport, IconSearch } from '@tabler/icons-react';
import { infiniteQueryOptions, useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { FnButton } from '../fkeys';
import { MoreButton } from '../MoreButton';
import { PageHeader } from '../PageHeader';
import { QueryState } from '../QueryState';
import { CsvExportButtons, CsvImportModal } from './CsvImport';
import { MasterEditModal } from './MasterEditModal';
import type { MasterConfig } from './types';

interface ListAnswer<T> {
  items: T[];
  nextCursor?: string | null;
}

/**
 * The screen of one master: title with 新規 (F2), CSV export and import; a search box and
 * filters; a dense table fetched by keyset pages ("more"); a click (or Enter) on a row opens the
 * edit dialog. Everything a master needs is in its MasterConfig.
 */
export function MasterPage<T>({ config }: { config: MasterConfig<T> }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [typed, setTyped] = useState('');
  const [q, setQ] = useState('');
  const [filters, setFilters] = useState<Record<string, string>>({});
  const [editing, setEditing] = useState<{ item: T | null } | null>(null);
  const [importing, setImporting] = useState(false);
  const serverQuery = { ...filters, ...(config.search === 'server' && q ? { q } : {}) };
  const paged = config.paged !== false;
  const list = useInfiniteQuery(
    infiniteQueryOptions({
      queryKey: ['master', config.id, 'list', serverQuery],
      queryFn: ({ pageParam, signal }) =>
        api.get<ListAnswer<T>>(
          config.path,
          { ...serverQuery, ...(paged ? { limit: 100, cursor: pageParam } : {}) },
          signal,
        ),
      initialPageParam: null as string | null,
      getNextPageParam: (last: ListAnswer<T>) => (paged ? (last.nextCursor ?? undefined) : undefined),
    }),
  );
  const items = useMemo(() => {
    const all = list.data?.pages.flatMap((page) => page.items) ?? [];
    if (config.search !== 'local' || !q || !config.searchText) return all;
    const needle = q.normalize('NFKC').toLowerCase();
    return all.filter((item) => config.searchText?.(item).normalize('NFKC').toLowerCase().includes(needle));
  }, [list.data, q, config]);
  const testid = `master-${config.id}`;
  const canCreate = config.canCreate !== false;

  return (
    <>
      <PageHeader title={config.title}>
        {config.headerExtra}
        {config.csv?.exportPath ? (
          <CsvExportButtons path={config.csv.exportPath} query={serverQuery} testid={`${testid}-export`} />
        ) : null}
        {config.csv?.importPath ? (
          <Button
            variant="default"
            leftSection={<IconFileImport size={14} />}
            onClick={() => setImporting(true)}
            data-testid={`${testid}-import`}
          >
            {t('master.csv.import')}
          </Button>
        ) : null}
        <FnButton variant="default" fkey="F5" onClick={() => void list.refetch()} testid={`${testid}-refresh`}>
          {t('common.refresh')}
        </FnButton>
        {canCreate ? (
          <FnButton fkey="F2" onClick={() => setEditing({ item: null })} testid={`${testid}-new`}>
            {t('master.new')}
          </FnButton>
        ) : null}
      </PageHeader>
      {config.lead ? (
        <Text size="xs" c="dimmed" mb={6}>
          {config.lead}
        </Text>
      ) : null}
      {config.search || config.filters?.length ? (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            setQ(typed.trim());
          }}
        >
          <Group gap={6} mb="xs" align="flex-end">
            {config.search ? (
              <TextInput
                placeholder={config.searchPlaceholder ?? t('master.searchPlaceholder')}
                aria-label={t('master.search')}
                value={typed}
                onChange={(e) => {
                  setTyped(e.currentTarget.value);
                  if (config.search === 'local') setQ(e.currentTarget.value.trim());
                }}
                leftSection={<IconSearch size={14} />}
                w={280}
                data-testid={`${testid}-search`}
              />
            ) : null}
            {config.filters?.map((filter) => (
              <Select
                key={filter.name}
                aria-label={filter.label}
                placeholder={filter.label}
                data={filter.options}
                value={filters[filter.name] ?? null}
                onChange={(v) =>
                  setFilters((current) => {
                    const next = { ...current };
                    if (v) next[filter.name] = v;
                    else delete next[filter.name];
                    return next;
                  })
                }
                clearable
                allowDeselect
                w={160}
                data-testid={`${testid}-filter-${filter.name}`}
              />
            ))}
            {config.search === 'server' ? (
              <FnButton fkey="F3" type="submit" testid={`${testid}-search-submit`}>
                {t('master.search')}
              </FnButton>
            ) : null}
          </Group>
        </form>
      ) : null}
      {list.data ? (
        <Table.ScrollContainer minWidth={760}>
          <Table data-testid={`${testid}-table`}>
            <Table.Thead>
              <Table.Tr>
                {config.columns.map((c) => (
                  <Table.Th key={c.key} w={c.width} ta={c.align}>
                    {c.label}
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.length === 0 ? (
                <Table.Tr>
                  <Table.Td colSpan={config.columns.length}>
                    <Text size="xs" c="dimmed" ta="center" data-testid={`${testid}-empty`}>
                      {t('common.noData')}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ) : null}
              {items.map((item) => (
                <Table.Tr
                  key={config.idOf(item)}
                  data-testid={`${testid}-row`}
                  data-id={config.idOf(item)}
                  tabIndex={0}
                  style={{ cursor: 'pointer' }}
                  onClick={() => setEditing({ item })}
                  onKeyDown={(event) => {
                    if (event.key === 'Enter') setEditing({ item });
                  }}
                >
                  {config.columns.map((c) => (
                    <Table.Td key={c.key} ta={c.align} className={c.mono ? 'mono nowrap' : undefined}>
                      {c.render(item)}
                    </Table.Td>
                  ))}
                </Table.Tr>
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
          shown={items.length}
          onMore={() => void list.fetchNextPage()}
          testid={`${testid}-more`}
        />
      ) : null}
      <MasterEditModal
        config={config}
        item={editing?.item ?? null}
        opened={editing !== null}
        onClose={() => setEditing(null)}
      />
      {config.csv?.importPath ? (
        <CsvImportModal
          opened={importing}
          onClose={() => setImporting(false)}
          path={config.csv.importPath}
          title={t('master.csv.importTitle', { master: config.title })}
          testid={`${testid}-import-modal`}
          hint={
            config.csv.templateColumns
              ? t('master.csv.leadColumns', { columns: config.csv.templateColumns.join(', ') })
              : undefined
          }
          onImported={() => void queryClient.invalidateQueries({ queryKey: ['master', config.id] })}
        />
      ) : null}
    </>
  );
}
