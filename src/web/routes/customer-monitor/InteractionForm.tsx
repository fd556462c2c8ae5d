import { zodResolver } from '@hookform/resolvers/zod';
import { Badge, Checkbox, Group, NativeSelect, Paper, Stack, Textarea, TextInput, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { useStaffDirectory } from '../../api/cases';
import type { Customer } from '../../api/customers';
import { type FaqArticle, recordUse } from '../../api/faq';
import {
  CHANNELS,
  createInteraction,
  type Interaction,
  interactionsKey,
  kindsQuery,
  renderTemplate,
  SETTABLE_STATUSES,
  templatesQuery,
} from '../../api/interactions';
import { FormAlert } from '../../components/FormAlert';
import { FnButton } from '../../components/fkeys';
import { applyApiErrors, renameErrorPaths } from '../../lib/forms';
import { notifyError, notifySuccess, notifyWarning } from '../../lib/notify';
import { fromTokyoInput } from '../../lib/tokyo';
import { FaqSuggest } from './FaqSuggest';

const FIELDS = ['kindId', 'channel', 'subject', 'body', 'status', 'assigneeId', 'due'] as const;

function makeSchema(required: string) {
  return z.object({
    kindId: z.string().min(1, required),
    channel: z.enum(CHANNELS),
    subject: z.string().trim().max(200),
    body: z.string().trim().max(10000),
    status: z.enum(SETTABLE_STATUSES),
    assigneeId: z.string(),
    due: z.string(),
    linkCall: z.boolean(),
  });
}
type Values = z.infer<ReturnType<typeof makeSchema>>;

interface Props {
  customer: Customer;
  /** The call this entry belongs to (from the screen pop), if any. */
  callId: string | null;
  /** Changes when F2 (新規対応) asks for a fresh entry: the form clears and takes the focus. */
  newEntrySignal: number;
  onSaved: (interaction: Interaction) => void;
}

/** 対応入力: kind, channel, template, subject, text, status, assignee, due; F1 登録. */
export function InteractionForm({ customer, callId, newEntrySignal, onSaved }: Props) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const kinds = useQuery(kindsQuery);
  const templates = useQuery(templatesQuery);
  const { staff } = useStaffDirectory();
  const [problem, setProblem] = useState<unknown>(null);
  const [usedFaq, setUsedFaq] = useState<string[]>([]);
  const bodyRef = useRef<HTMLTextAreaElement | null>(null);
  const kindRef = useRef<HTMLSelectElement | null>(null);
  const schema = useMemo(() => makeSchema(t('validation.required')), [t]);
  const activeKinds = (kinds.data?.items ?? []).filter((k) => k.active);
  const firstKind = activeKinds[0]?.id ?? '';
  const defaults: Values = {
    kindId: firstKind,
    channel: 'inbound_call',
    subject: '',
    body: '',
    status: 'in_progress',
    assigneeId: '',
    due: '',
    linkCall: callId !== null,
  };
  const form = useForm<Values>({ resolver: zodResolver(schema), defaultValues: defaults });
  const { register, handleSubmit, setError, setValue, getValues, reset, control, formState } = form;
  const [subject, body, kindId] = useWatch({ control, name: ['subject', 'body', 'kindId'] });

  // The kinds arrive after the first render: select the first one when none is.
  useEffect(() => {
    if (firstKind && !getValues('kindId')) setValue('kindId', firstKind);
  }, [firstKind, getValues, setValue]);
  useEffect(() => {
    setValue('linkCall', callId !== null);
  }, [callId, setValue]);
  useEffect(() => {
    if (newEntrySignal === 0) return;
    reset({ ...getValues(), subject: '', body: '', status: 'in_progress', assigneeId: '', due: '' });
    setProblem(null);
    // After the reset's render: the first field of the entry takes the focus.
    const timer = setTimeout(() => kindRef.current?.focus(), 0);
    return () => clearTimeout(timer);
  }, [newEntrySignal, reset, getValues]);

  const insertText = (text: string) => {
    const el = bodyRef.current;
    const current = getValues('body');
    const at = el && document.activeElement === el ? el.selectionStart : current.length;
    const before = current.slice(0, at);
    const sep = before && !before.endsWith('\n') ? '\n' : '';
    setValue('body', `${before}${sep}${text}${current.slice(at)}`, { shouldDirty: true });
  };

  const insertTemplate = async (templateId: string) => {
    const template = templates.data?.items.find((x) => x.id === templateId);
    if (!template) return;
    try {
      const rendered = await renderTemplate(template.id, customer.id);
      insertText(rendered.text);
      if (rendered.subject && !getValues('subject')) setValue('subject', rendered.subject, { shouldDirty: true });
      notifySuccess(t('interactions.templateInserted', { name: template.name }));
      if (rendered.unknown.length > 0)
        notifyWarning(t('interactions.templateUnknown', { names: rendered.unknown.join(', ') }));
    } catch (error) {
      notifyError(error);
    }
    setTimeout(() => bodyRef.current?.focus(), 0);
  };

  const insertFaq = (article: FaqArticle) => {
    insertText(article.body);
    if (!getValues('subject')) setValue('subject', article.title, { shouldDirty: true });
    setUsedFaq((ids) => (ids.includes(article.id) ? ids : [...ids, article.id]));
    notifySuccess(t('faq.inserted'));
  };

  const onSubmit = async (values: Values) => {
    setProblem(null);
    try {
      const saved = await createInteraction({
        customerId: customer.id,
        kindId: values.kindId,
        channel: values.channel,
        callId: values.linkCall && callId ? callId : null,
        subject: values.subject.trim() || null,
        body: values.body,
        status: values.status,
        assigneeId: values.assigneeId || null,
        dueAt: values.due ? fromTokyoInput(values.due) : null,
      });
      // Each FAQ answer put into the text counts as one use of the article, tied to this entry.
      await Promise.allSettled(usedFaq.map((id) => recordUse(id, saved.id)));
      setUsedFaq([]);
      await queryClient.invalidateQueries({ queryKey: interactionsKey });
      notifySuccess(t('interactions.saved'));
      reset({
        ...values,
        subject: '',
        body: '',
        status: 'in_progress',
        assigneeId: '',
        due: '',
        linkCall: values.linkCall,
      });
      onSaved(saved);
      // Ready for the next entry (or F4 on the one just saved).
      setTimeout(() => kindRef.current?.focus(), 0);
    } catch (error) {
      if (!applyApiErrors(renameErrorPaths(error, { dueAt: 'due' }), setError, FIELDS)) setProblem(error);
    }
  };

  const sortedTemplates = [...(templates.data?.items ?? [])].sort(
    (a, b) => Number(b.interactionKindId === kindId) - Number(a.interactionKindId === kindId),
  );
  const bodyField = register('body');
  const kindField = register('kindId');

  return (
    <Stack gap="xs">
      <Paper withBorder p="xs">
        <form onSubmit={handleSubmit(onSubmit)} noValidate data-testid="interaction-form">
          <Group justify="space-between" mb={4}>
            <Title order={3}>{t('interactions.formTitle')}</Title>
            {callId ? (
              <Checkbox
                size="xs"
                label={
                  <Badge variant="light" tt="none">
                    {t('interactions.call', { id: callId })}
                  </Badge>
                }
                data-testid="interaction-form-link-call"
                {...register('linkCall')}
              />
            ) : null}
          </Group>
          <Stack gap={6}>
            <FormAlert error={problem} />
            <Group grow gap="xs" align="flex-start">
              <NativeSelect
                label={t('interactions.kind')}
                data={activeKinds.map((k) => ({ value: k.id, label: k.name }))}
                error={formState.errors.kindId?.message}
                data-testid="interaction-form-kind"
                {...kindField}
                ref={(el) => {
                  kindField.ref(el);
                  kindRef.current = el;
                }}
              />
              <NativeSelect
                label={t('interactions.channel')}
                data={CHANNELS.map((c) => ({ value: c, label: t(`channels.${c}`) }))}
                error={formState.errors.channel?.message}
                data-testid="interaction-form-channel"
                {...register('channel')}
              />
            </Group>
            <NativeSelect
              aria-label={t('interactions.template')}
              value=""
              onChange={(event) => void insertTemplate(event.currentTarget.value)}
              data={[
                { value: '', label: t('interactions.templateNone') },
                ...sortedTemplates.map((x) => ({ value: x.id, label: x.name })),
              ]}
              data-testid="interaction-form-template"
            />
            <TextInput
              label={t('interactions.subject')}
              error={formState.errors.subject?.message}
              data-testid="interaction-form-subject"
              {...register('subject')}
            />
            <Textarea
              label={t('interactions.body')}
              placeholder={t('interactions.bodyPlaceholder')}
              autosize
              minRows={5}
              maxRows={14}
              error={formState.errors.body?.message}
              data-testid="interaction-form-body"
              {...bodyField}
              ref={(el) => {
                bodyField.ref(el);
                bodyRef.current = el;
              }}
            />
            <Group grow gap="xs" align="flex-start">
              <NativeSelect
                label={t('interactions.status')}
                data={SETTABLE_STATUSES.map((s) => ({ value: s, label: t(`interactionStatuses.${s}`) }))}
                error={formState.errors.status?.message}
                data-testid="interaction-form-status"
                {...register('status')}
              />
              <NativeSelect
                label={t('interactions.assignee')}
                data={[
                  { value: '', label: t('customerForm.unselected') },
                  ...staff.map((s) => ({ value: s.id, label: s.name })),
                ]}
                error={formState.errors.assigneeId?.message}
                data-testid="interaction-form-assignee"
                {...register('assigneeId')}
              />
              <TextInput
                type="datetime-local"
                label={t('interactions.due')}
                error={formState.errors.due?.message}
                data-testid="interaction-form-due"
                {...register('due')}
              />
            </Group>
            <Group justify="flex-end">
              <FnButton fkey="F1" type="submit" loading={formState.isSubmitting} testid="interaction-submit">
                {t('common.save')}
              </FnButton>
            </Group>
          </Stack>
        </form>
      </Paper>
      <FaqSuggest text={`${subject} ${body}`} onInsert={insertFaq} />
    </Stack>
  );
}
