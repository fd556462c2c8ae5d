import { Badge, Group, Loader, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { Spotlight } from '@mantine/spotlight';
import { IconArrowRight, IconSearch } from '@tabler/icons-react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useNavigate, useRouter } from '@tanstack/react-router';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../api/auth';
import { api } from '../../api/client';
import type { SearchItem } from '../../api/types';
import { screensFor } from '../../lib/screens';
import { paletteStore } from './store';
import { usePaletteShortcut } from './usePaletteShortcut';

const KINDS = ['customer', 'order', 'user', 'client', 'contact', 'product', 'invoice'] as const;
type Kind = (typeof KINDS)[number];
function isKind(kind: string): kind is Kind {
  return (KINDS as readonly string[]).includes(kind);
}

/** Like Spotlight's own action descriptions: dimmed, and light on the selected entry. */
const SUB_STYLE = {
  color: 'var(--action-description-color, var(--mantine-color-dimmed))',
  opacity: 'var(--action-description-opacity, 1)',
} as const;

/** Folds width and case so "ﾕｰｻﾞｰ", "ユーザー" and "USERS" match as typed. */
function fold(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, '');
}

/**
 * Marks the first entry selected when none is, as Spotlight's own selectAction(0) does (that
 * helper is not exported): the entry gets data-selected and the store its index.
 */
function selectFirstIfNone(): void {
  const { listId } = paletteStore.getState();
  const list = listId ? document.getElementById(listId) : null;
  if (!list || list.querySelector('[data-selected]')) return;
  const first = list.querySelector('[data-action]');
  if (!first) return;
  first.setAttribute('data-selected', 'true');
  paletteStore.updateState((state) => ({ ...state, selected: 0 }));
}

export function CommandPalette() {
  const { t } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();
  const router = useRouter();
  const [query, setQuery] = useState('');
  const [debounced] = useDebouncedValue(query.trim(), 250);
  usePaletteShortcut();

  const search = useQuery({
    queryKey: ['search', debounced],
    queryFn: ({ signal }) => api.get<{ items: SearchItem[] }>('/search', { q: debounced.slice(0, 100) }, signal),
    enabled: debounced.length > 0,
    placeholderData: keepPreviousData,
    staleTime: 10_000,
  });

  const needle = fold(query);
  const screens = screensFor(me).filter((screen) => {
    if (!needle) return true;
    const hay = [t(`nav.${screen.id}`), screen.to, ...screen.keywords].map(fold);
    return hay.some((text) => text.includes(needle));
  });
  const records = debounced.length > 0 && query.trim() ? (search.data?.items ?? []) : [];
  const recordKeys = records.map((item) => `${item.kind}:${item.id}`).join('\n');
  // Spotlight selects the first entry when the query changes, before the records arrive; when they
  // arrive into a list with nothing selected (no screen matched, or the selected record was
  // replaced), select the first entry so that Enter opens the top match.
  useEffect(() => {
    if (recordKeys) selectFirstIfNone();
  }, [recordKeys]);
  const openHref = (href: string) => {
    if (href.startsWith('/') && !href.startsWith('//')) router.history.push(href);
    else if (/^https?:\/\//i.test(href)) window.location.assign(href);
  };
  const waiting = query.trim().length > 0 && (debounced !== query.trim() || search.isFetching);

  return (
    <Spotlight.Root
      store={paletteStore}
      query={query}
      onQueryChange={setQuery}
      shortcut={null}
      scrollable
      maxHeight={420}
      size="lg"
    >
      <Spotlight.Search
        placeholder={t('palette.placeholder')}
        leftSection={<IconSearch size={16} />}
        rightSection={waiting ? <Loader size={14} /> : null}
        data-testid="palette-input"
        aria-label={t('header.palette')}
      />
      <Spotlight.ActionsList data-testid="palette-list">
        {screens.length > 0 ? (
          <Spotlight.ActionsGroup label={t('palette.screens')}>
            {screens.map((screen) => (
              <Spotlight.Action
                key={screen.id}
                label={t(`nav.${screen.id}`)}
                description={screen.to}
                leftSection={<screen.icon size={18} stroke={1.5} />}
                data-testid={`palette-screen-${screen.id}`}
                onClick={() => void navigate({ to: screen.to })}
              />
            ))}
          </Spotlight.ActionsGroup>
        ) : null}
        {records.length > 0 ? (
          <Spotlight.ActionsGroup label={t('palette.records')}>
            {records.map((item) => (
              <Spotlight.Action
                key={`${item.kind}:${item.id}`}
                data-testid={`palette-item-${item.kind}-${item.id}`}
                onClick={() => openHref(item.href)}
              >
                <Group wrap="nowrap" gap="xs" w="100%">
                  {/* Colours follow the entry's text, so they stay readable on the selected (filled) entry. */}
                  <Badge variant="outline" style={{ color: 'inherit', borderColor: 'currentColor' }}>
                    {isKind(item.kind) ? t(`palette.kinds.${item.kind}`) : item.kind}
                  </Badge>
                  <div style={{ flex: 1, minWidth: 0 }}>
                    <Text size="sm" truncate>
                      {item.label}
                    </Text>
                    {item.sub ? (
                      <Text size="xs" truncate style={SUB_STYLE}>
                        {item.sub}
                      </Text>
                    ) : null}
                  </div>
                  <IconArrowRight size={14} />
                </Group>
              </Spotlight.Action>
            ))}
          </Spotlight.ActionsGroup>
        ) : null}
        {screens.length === 0 && records.length === 0 ? (
          <Spotlight.Empty>{waiting ? t('palette.searching') : t('palette.nothing')}</Spotlight.Empty>
        ) : null}
      </Spotlight.ActionsList>
      <Spotlight.Footer>
        <Text size="xs" c="dimmed">
          {t('palette.hint')}
        </Text>
      </Spotlight.Footer>
    </Spotlight.Root>
  );
}
