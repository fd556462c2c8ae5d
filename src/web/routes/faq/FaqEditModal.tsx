import { zodResolver } from '@hookform/resolvers/zod';
import {
  Anchor,
  Badge,
  Button,
  Group,
  Modal,
  NativeSelect,
  Stack,
  Switch,
  TagsInput,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useEffect, useMemo, useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { categoriesQuery, createArticle, deleteArticle, type FaqArticle, faqKey, updateArticle } from '../../api/faq';
import { ConfirmModal } from '../../components/ConfirmModal';
import { FormAlert } from '../../components/FormAlert';
import { FnButton } from '../../components/fkeys';
import { applyApiErrors } from '../../lib/forms';
import { notifySuccess } from '../../lib/notify';

const FIELDS = ['title', 'body', 'categoryId', 'keywords', 'published'] as const;

function toValues(a: FaqArticle | null) {
  return {
    title: a?.title ?? '',
    body: a?.body ?? '',
    categoryId: a?.category?.id ?? '',
    keywords: a?.keywords ?? [],
    published: a?.published ?? true,
  };
}

/** FAQ の登録・編集 (supervisors and admins): question, answer, category, keywords, published; F1 登録. */
export function FaqEditModal({
  article,
  opened,
  onClose,
}: {
  /** null: a new article. */
  article: FaqArticle | null;
  opened: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const categories = useQuery(categoriesQuery);
  const [problem, setProblem] = useState<unknown>(null);
  const [removing, setRemoving] = useState(false);
  const schema = useMemo(
    () =>
      z.object({
        title: z.string().trim().min(1, t('validation.required')).max(200),
        body: z.string().trim().max(20000),
        categoryId: z.string(),
        keywords: z.array(z.string().trim().min(1).max(50)).max(30),
        published: z.boolean(),
      }),
    [t],
  );
  type Values = z.infer<typeof schema>;
  const { register, control, handleSubmit, setError, reset, formState } = useForm<Values>({
    resolver: zodResolver(schema),
    defaultValues: toValues(article),
  });

  useEffect(() => {
    if (opened) {
      reset(toValues(article));
      setProblem(null);
    }
  }, [opened, article, reset]);

  const onSubmit = async (v: Values) => {
    setProblem(null);
    const body = { ...v, categoryId: v.categoryId || null };
    try {
      if (article) await updateArticle(article.id, body, article.version);
      else await createArticle(body);
      await queryClient.invalidateQueries({ queryKey: faqKey });
      notifySuccess(t('faq.saved'));
      onClose();
    } catch (error) {
      if (!applyApiErrors(error, setError, FIELDS)) setProblem(error);
    }
  };

  return (
    <Modal opened={opened} onClose={onClose} title={article ? t('faq.edit') : t('faq.new')} size="xl">
      <form onSubmit={handleSubmit(onSubmit)} noValidate data-testid="faq-form">
        <Stack gap={6}>
          <FormAlert error={problem} />
          {article?.sourceCaseId ? (
            <Anchor component={Link} to={`/cases/${article.sourceCaseId}`} size="xs" data-testid="faq-source-case">
              <Badge variant="light" color="grape" style={{ cursor: 'pointer' }}>
                {t('faq.fromCase')}
              </Badge>
            </Anchor>
          ) : null}
          <TextInput
            label={t('faq.titleField')}
            withAsterisk
            data-autofocus
            error={formState.errors.title?.message}
            data-testid="faq-form-title"
            {...register('title')}
          />
          <Group grow gap="xs" align="flex-start">
            <NativeSelect
              label={t('faq.category')}
              data={[
                { value: '', label: t('faq.noCategory') },
                ...(categories.data?.items ?? []).map((c) => ({ value: c.id, label: c.name })),
              ]}
              data-testid="faq-form-category"
              {...register('categoryId')}
            />
            <Controller
              control={control}
              name="keywords"
              render={({ field }) => (
                <TagsInput
                  size="xs"
                  label={t('faq.keywords')}
                  description={t('faq.keywordsHint')}
                  value={field.value}
                  onChange={field.onChange}
                  splitChars={[',', '、']}
                  maxTags={30}
                  data-testid="faq-form-keywords"
                />
              )}
            />
          </Group>
          <Textarea
            label={t('faq.body')}
            autosize
            minRows={8}
            maxRows={20}
            error={formState.errors.body?.message}
            data-testid="faq-form-body"
            {...register('body')}
          />
          <Switch label={t('faq.published')} data-testid="faq-form-published" {...register('published')} />
          <Group justify="space-between">
            {article ? (
              <Button variant="subtle" color="red" onClick={() => setRemoving(true)} data-testid="faq-remove">
                {t('faq.remove')}
              </Button>
            ) : (
              <Text />
            )}
            <Group gap={6}>
              <Button variant="default" onClick={onClose}>
                {t('common.cancel')}
              </Button>
              <FnButton fkey="F1" type="submit" loading={formState.isSubmitting} testid="faq-submit">
                {t('common.save')}
              </FnButton>
            </Group>
          </Group>
        </Stack>
      </form>
      <ConfirmModal
        opened={removing}
        title={t('faq.remove')}
        message={t('faq.removeConfirm', { title: article?.title ?? '' })}
        confirmLabel={t('faq.remove')}
        onClose={() => setRemoving(false)}
        onConfirm={async () => {
          if (!article) return;
          await deleteArticle(article.id);
          await queryClient.invalidateQueries({ queryKey: faqKey });
          notifySuccess(t('faq.deleted'));
          onClose();
        }}
      />
    </Modal>
  );
}
