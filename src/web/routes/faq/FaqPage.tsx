import {
  ActionIcon,
  Badge,
  Button,
  Grid,
  Group,
  Modal,
  NavLink,
  Paper,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconSearch, IconTrash } from '@tabler/icons-react';
import { keepPreviousData, useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { useSearch } from '@tanstack/react-router';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../api/auth';
import { api } from '../../api/client';
import { categoriesQuery, createCategory, deleteCategory, type FaqArticle, faqKey } from '../../api/faq';
import { allItems, pagedQuery } from '../../api/paged';
import type { Page } from '../../api/types';
import { FnButton, useFnKey } from '../../components/fkeys';
import { MoreButton } from '../../components/MoreButton';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { formatDateTime } from '../../lib/datetime';
import { notifyError, notifySuccess } from '../../lib/notify';
import { FaqEditModal } from './FaqEditModal';

function Categories({ value, onChange, staff }: { value: string; onChange: (id: string) => void; staff: boolean }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const categories = useQuery(categoriesQuery);
  const [name, setName] = useState('');
  const add = async () => {
    if (!name.trim()) return;
    try {
      await createCategory(name.trim());
      setName('');
      await queryClient.invalidateQueries({ queryKey: faqKey });
      notifySuccess(t('faq.categoryAdded'));
    } catch (error) {
      notifyError(error);
    }
  };
  const remove = async (id: string) => {
    try {
      await deleteCategory(id);
      if (value === id) onChange('');
      await queryClient.invalidateQueries({ queryKey: faqKey });
      notifySuccess(t('faq.categoryDeleted'));
    } catch (error) {
      notifyError(error);
    }
  };
  return (
    <Paper withBorder p={6} data-testid="faq-categories">
      <Title order={3} mb={4} px={4}>
        {t('faq.categories')}
      </Title>
      <NavLink label={t('faq.allCategories')} active={value === ''} onClick={() => onChange('')} py={3} />
      {(categories.data?.items ?? []).map((c) => (
        <NavLink
          key={c.id}
          label={c.name}
          active={value === c.id}
          onClick={() => onChange(c.id)}
          py={3}
          data-testid={`faq-category-${c.id}`}
          rightSection={
            <Group gap={2} wrap="nowrap">
              <Badge variant="outline">{c.articleCount}</Badge>
              {staff && c.articleCount === 0 ? (
                <ActionIcon
                  color="red"
                  size="xs"
                  aria-label={t('faq.remove')}
                  onClick={(event) => {
                    event.stopPropagation();
                    void remove(c.id);
                  }}
                >
                  <IconTrash size={12} />
                </ActionIcon>
              ) : null}
            </Group>
          }
        />
      ))}
      {staff ? (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            void add();
          }}
        >
          <Group gap={4} mt={6} wrap="nowrap">
            <TextInput
              placeholder={t('faq.categoryName')}
              value={name}
              onChange={(event) => setName(event.currentTarget.value)}
              maxLength={100}
              style={{ flex: 1 }}
              data-testid="faq-category-name"
            />
            <Button type="submit" variant="default" data-testid="faq-category-add">
              {t('faq.addCategory')}
            </Button>
          </Group>
        </form>
      ) : null}
    </Paper>
  );
}

/** FAQ: search (Japanese-folded) by category; supervisors and admins write and publish articles. */
export function FaqPage() {
  const { t } = useTranslation();
  const me = useMe();
  const staff = me.role === 'admin' || me.role === 'supervisor';
  const { focus } = useSearch({ strict: false }) as { focus?: string };
  const [q, setQ] = useState('');
  const [debounced] = useDebouncedValue(q.trim(), 250);
  const [categoryId, setCategoryId] = useState('');
  const [editing, setEditing] = useState<FaqArticle | null>(null);
  const [formOpened, setFormOpened] = useState(false);
  const [viewing, setViewing] = useState<FaqArticle | null>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const list = useInfiniteQuery({
    ...pagedQuery<Page<FaqArticle>>([...faqKey, 'list'], '/faq', { q: debounced, categoryId }),
    placeholderData: keepPreviousData,
  });
  const items = allItems(list.data?.pages);
  useFnKey('F3', () => searchRef.current?.select());

  const open = (article: FaqArticle | null) => {
    if (staff) {
      setEditing(article);
      setFormOpened(true);
    } else if (article) setViewing(article);
  };

  // ?focus=<id> (an article just made from a case): open it.
  useEffect(() => {
    if (!focus) return;
    api.get<FaqArticle>(`/faq/${encodeURIComponent(focus)}`).then(
      (article) => {
        if (staff) {
          setEditing(article);
          setFormOpened(true);
        } else setViewing(article);
      },
      () => undefined,
    );
  }, [focus, staff]);

  return (
    <>
      <PageHeader title={t('faq.title')}>
        <FnButton fkey="F5" variant="default" onClick={() => void list.refetch()} testid="faq-refresh">
          {t('common.refresh')}
        </FnButton>
        {staff ? (
          <FnButton fkey="F2" onClick={() => open(null)} testid="faq-create">
            {t('faq.create')}
          </FnButton>
        ) : null}
      </PageHeader>
      <Grid gap="xs">
        <Grid.Col span={{ base: 12, md: 3 }}>
          <Categories value={categoryId} onChange={setCategoryId} staff={staff} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 9 }}>
          <TextInput
            ref={searchRef}
            autoFocus
            placeholder={t('faq.search')}
            leftSection={<IconSearch size={14} />}
            value={q}
            onChange={(event) => setQ(event.currentTarget.value)}
            mb="xs"
            maw={480}
            aria-label={t('faq.search')}
            data-testid="faq-search"
          />
          {list.data ? (
            <Table data-testid="faq-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('faq.titleField')}</Table.Th>
                  <Table.Th w={120}>{t('faq.category')}</Table.Th>
                  <Table.Th>{t('faq.keywords')}</Table.Th>
                  <Table.Th w={70} className="num">
                    {t('faq.useCount')}
                  </Table.Th>
                  <Table.Th w={130}>{t('faq.updatedAt')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.length === 0 ? (
                  <Table.Tr>
                    <Table.Td colSpan={5}>
                      <Text size="xs" c="dimmed" ta="center">
                        {t('faq.empty')}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                ) : null}
                {items.map((a) => (
                  <Table.Tr
                    key={a.id}
                    data-testid={`faq-row-${a.id}`}
                    style={{ cursor: 'pointer' }}
                    tabIndex={0}
                    onClick={() => open(a)}
                    onKeyDown={(event) => event.key === 'Enter' && open(a)}
                  >
                    <Table.Td>
                      <Text size="xs" fw={600}>
                        {a.title}
                        {a.published ? null : (
                          <Badge color="gray" ml={6}>
                            {t('faq.draft')}
                          </Badge>
                        )}
                      </Text>
                      <Text size="xs" c="dimmed" lineClamp={1}>
                        {a.body}
                      </Text>
                    </Table.Td>
                    <Table.Td>{a.category?.name ?? t('faq.noCategory')}</Table.Td>
                    <Table.Td>
                      <Group gap={2}>
                        {a.keywords.map((k) => (
                          <Badge key={k} variant="outline" color="gray">
                            {k}
                          </Badge>
                        ))}
                      </Group>
                    </Table.Td>
                    <Table.Td className="num">{a.useCount}</Table.Td>
                    <Table.Td className="nowrap">{formatDateTime(a.updatedAt)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          ) : (
            <QueryState error={list.error} onRetry={() => void list.refetch()} />
          )}
          {list.data ? (
            <MoreButton
              hasMore={list.hasNextPage}
              loading={list.isFetchingNextPage}
              shown={items.length}
              onMore={() => void list.fetchNextPage()}
              testid="faq-more"
            />
          ) : null}
        </Grid.Col>
      </Grid>
      {staff ? <FaqEditModal article={editing} opened={formOpened} onClose={() => setFormOpened(false)} /> : null}
      <Modal opened={viewing !== null} onClose={() => setViewing(null)} title={viewing?.title} size="lg">
        <Stack gap="xs" data-testid="faq-view">
          {viewing?.category ? <Badge variant="outline">{viewing.category.name}</Badge> : null}
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
            {viewing?.body}
          </Text>
        </Stack>
      </Modal>
    </>
  );
}
