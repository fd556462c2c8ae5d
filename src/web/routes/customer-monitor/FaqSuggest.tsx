import { Badge, Button, Collapse, Group, Paper, Stack, Text, UnstyledButton } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconBook2, IconChevronDown, IconChevronRight } from '@tabler/icons-react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type FaqArticle, suggestQuery } from '../../api/faq';

/**
 * FAQ suggestions for what the operator types (GET /faq/suggest): the closest published
 * articles; one opens to show its answer, which can be put into the interaction's text.
 */
export function FaqSuggest({ text, onInsert }: { text: string; onInsert: (article: FaqArticle) => void }) {
  const { t } = useTranslation();
  const [debounced] = useDebouncedValue(text.trim().slice(0, 2000), 400);
  const [openId, setOpenId] = useState<string | null>(null);
  const suggest = useQuery({ ...suggestQuery(debounced), placeholderData: keepPreviousData });
  const items = debounced.length >= 2 ? (suggest.data?.items ?? []) : [];

  return (
    <Paper withBorder p="xs" data-testid="faq-suggest">
      <Group gap={4} mb={4}>
        <IconBook2 size={14} />
        <Text size="xs" fw={700}>
          {t('faq.suggestTitle')}
        </Text>
      </Group>
      {items.length === 0 ? (
        <Text size="xs" c="dimmed">
          {t('faq.suggestEmpty')}
        </Text>
      ) : (
        <Stack gap={2}>
          {items.map((article) => {
            const opened = openId === article.id;
            return (
              <div key={article.id} data-testid={`faq-suggest-item-${article.id}`}>
                <UnstyledButton
                  onClick={() => setOpenId(opened ? null : article.id)}
                  w="100%"
                  py={2}
                  aria-expanded={opened}
                >
                  <Group gap={4} wrap="nowrap">
                    {opened ? <IconChevronDown size={12} /> : <IconChevronRight size={12} />}
                    <Text size="xs" fw={600} truncate style={{ flex: 1 }}>
                      {article.title}
                    </Text>
                    {article.category ? <Badge variant="outline">{article.category.name}</Badge> : null}
                  </Group>
                </UnstyledButton>
                <Collapse expanded={opened}>
                  <Text size="xs" style={{ whiteSpace: 'pre-wrap' }} pl={16} py={4}>
                    {article.body}
                  </Text>
                  <Group justify="flex-end">
                    <Button
                      variant="light"
                      size="compact-xs"
                      onClick={() => onInsert(article)}
                      data-testid={`faq-insert-${article.id}`}
                    >
                      {t('faq.insert')}
                    </Button>
                  </Group>
                </Collapse>
              </div>
            );
          })}
        </Stack>
      )}
    </Paper>
  );
}
