import { Badge, ColorSwatch, Group, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useStaffDirectory } from '../../api/cases';
import { api } from '../../api/client';
import type { EscalationGroup, Rank, Template } from '../../api/crmAdmin';
import type { InteractionKind } from '../../api/interactions';
import type { MasterConfig } from '../../components/master/types';
import { activeColumn, num, numOrNull, orEmpty, text, textOrNull, yen } from '../masters/common';

/** ランクマスタ: rules on purchases within a period and recency; any change recomputes every customer's rank. */
export function useRanksConfig(): MasterConfig<Rank> {
  const { t } = useTranslation();
  return useMemo(
    () => ({
      id: 'ranks',
      title: t('crmAdmin.ranks.title'),
      lead: t('crmAdmin.ranks.lead'),
      path: '/ranks',
      idOf: (r) => r.id,
      nameOf: (r) => r.name,
      version: (r) => r.version,
      columns: [
        { key: 'priority', label: t('crmAdmin.ranks.priority'), width: 70, align: 'right', render: (r) => r.priority },
        {
          key: 'name',
          label: t('masters.common.name'),
          render: (r) => (
            <Group gap={6} wrap="nowrap">
              {r.color ? <ColorSwatch color={r.color} size={12} /> : null}
              {r.name}
            </Group>
          ),
        },
        {
          key: 'rule',
          label: t('crmAdmin.ranks.rule'),
          render: (r) => {
            const parts = [
              r.minCount === null ? null : t('crmAdmin.ranks.countRule', { count: r.minCount }),
              r.minAmount === null ? null : t('crmAdmin.ranks.amountRule', { amount: yen(r.minAmount) }),
            ].filter(Boolean);
            const joined = parts.join(r.combine === 'all' ? t('crmAdmin.ranks.and') : t('crmAdmin.ranks.or'));
            return (
              <Text span size="xs">
                {parts.length
                  ? t('crmAdmin.ranks.within', { days: r.periodDays, rule: joined })
                  : t('crmAdmin.ranks.noRule')}
                {r.recencyDays === null ? '' : ` ${t('crmAdmin.ranks.recencyRule', { days: r.recencyDays })}`}
              </Text>
            );
          },
        },
        activeColumn<Rank>(t),
      ],
      fields: [
        { kind: 'text', name: 'name', label: t('masters.common.name'), required: true, span: 6, maxLength: 50 },
        { kind: 'color', name: 'color', label: t('crmAdmin.ranks.color'), span: 3 },
        {
          kind: 'int',
          name: 'priority',
          label: t('crmAdmin.ranks.priority'),
          span: 3,
          max: 100_000,
          description: t('crmAdmin.ranks.priorityHint'),
        },
        { kind: 'int', name: 'minCount', label: t('crmAdmin.ranks.minCount'), span: 4, min: 1 },
        { kind: 'yen', name: 'minAmount', label: t('crmAdmin.ranks.minAmount'), span: 4 },
        {
          kind: 'select',
          name: 'combine',
          label: t('crmAdmin.ranks.combine'),
          span: 4,
          options: [
            { value: 'all', label: t('crmAdmin.ranks.combineAll') },
            { value: 'any', label: t('crmAdmin.ranks.combineAny') },
          ],
        },
        { kind: 'int', name: 'periodDays', label: t('crmAdmin.ranks.periodDays'), span: 4, min: 1, max: 3660 },
        {
          kind: 'int',
          name: 'recencyDays',
          label: t('crmAdmin.ranks.recencyDays'),
          span: 4,
          min: 1,
          max: 3660,
          description: t('crmAdmin.ranks.recencyHint'),
        },
        { kind: 'bool', name: 'active', label: t('masters.common.active'), span: 4 },
      ],
      toValues: (r) => ({
        name: r?.name ?? '',
        color: r?.color ?? '',
        priority: orEmpty(r?.priority),
        minCount: orEmpty(r?.minCount),
        minAmount: orEmpty(r?.minAmount),
        combine: r?.combine ?? 'all',
        periodDays: r?.periodDays ?? 365,
        recencyDays: orEmpty(r?.recencyDays),
        active: r?.active ?? true,
      }),
      toBody: (v) => {
        const body: Record<string, unknown> = {
          name: text(v.name),
          color: textOrNull(v.color),
          minCount: numOrNull(v.minCount),
          minAmount: numOrNull(v.minAmount),
          combine: v.combine,
          periodDays: num(v.periodDays, 365),
          recencyDays: numOrNull(v.recencyDays),
          active: Boolean(v.active),
        };
        const priority = numOrNull(v.priority);
        if (priority !== null) body.priority = priority;
        return body;
      },
    }),
    [t],
  );
}

/** 区分マスタ (interaction kinds): 問い合わせ, クレーム, 定期変更 … in display order. */
export function useKindsConfig(): MasterConfig<InteractionKind> {
  const { t } = useTranslation();
  return useMemo(
    () => ({
      id: 'interaction-kinds',
      title: t('crmAdmin.kinds.title'),
      path: '/interaction-kinds',
      paged: false,
      search: 'local',
      searchText: (k) => k.name,
      idOf: (k) => k.id,
      nameOf: (k) => k.name,
      columns: [
        { key: 'position', label: t('masters.common.sortOrder'), width: 80, align: 'right', render: (k) => k.position },
        { key: 'name', label: t('masters.common.name'), render: (k) => k.name },
        { key: 'code', label: t('masters.common.code'), width: 120, mono: true, render: (k) => k.code ?? '' },
        activeColumn<InteractionKind>(t),
      ],
      fields: [
        { kind: 'text', name: 'name', label: t('masters.common.name'), required: true, span: 6, maxLength: 50 },
        { kind: 'int', name: 'position', label: t('masters.common.sortOrder'), span: 3 },
        { kind: 'bool', name: 'active', label: t('masters.common.active'), span: 3 },
      ],
      toValues: (k) => ({ name: k?.name ?? '', position: orEmpty(k?.position), active: k?.active ?? true }),
      toBody: (v) => {
        const position = numOrNull(v.position);
        return { name: text(v.name), active: Boolean(v.active), ...(position === null ? {} : { position }) };
      },
    }),
    [t],
  );
}

/** トーク・返信テンプレート with placeholders ({{顧客名}} …). */
export function useTemplatesConfig(): MasterConfig<Template> {
  const { t } = useTranslation();
  const placeholders = useQuery({
    queryKey: ['templates', 'placeholders'],
    queryFn: ({ signal }) =>
      api.get<{ items: { key: string; ja: string[]; description: string }[] }>(
        '/templates/placeholders',
        undefined,
        signal,
      ),
    staleTime: Number.POSITIVE_INFINITY,
  });
  return useMemo(() => {
    const kindOptions = (['talk', 'reply'] as const).map((k) => ({
      value: k,
      label: t(`crmAdmin.templates.kinds.${k}`),
    }));
    const hint = (placeholders.data?.items ?? []).map((p) => `{{${p.ja[0] ?? p.key}}}`).join(' ');
    return {
      id: 'templates',
      title: t('crmAdmin.templates.title'),
      path: '/templates',
      search: 'server',
      filters: [{ name: 'kind', label: t('crmAdmin.templates.kind'), options: kindOptions }],
      idOf: (x) => x.id,
      nameOf: (x) => x.name,
      version: (x) => x.version,
      size: 'xl',
      columns: [
        {
          key: 'kind',
          label: t('crmAdmin.templates.kind'),
          width: 90,
          render: (x) => <Badge>{t(`crmAdmin.templates.kinds.${x.kind}`)}</Badge>,
        },
        { key: 'name', label: t('masters.common.name'), width: 220, render: (x) => x.name },
        {
          key: 'body',
          label: t('crmAdmin.templates.body'),
          render: (x) => (
            <Text span size="xs" lineClamp={1}>
              {x.subject ? `【${x.subject}】` : ''}
              {x.body}
            </Text>
          ),
        },
        activeColumn<Template>(t),
      ],
      fields: [
        {
          kind: 'select',
          name: 'kind',
          label: t('crmAdmin.templates.kind'),
          required: true,
          span: 3,
          options: kindOptions,
        },
        { kind: 'text', name: 'name', label: t('masters.common.name'), required: true, span: 5, maxLength: 100 },
        {
          kind: 'ref',
          name: 'interactionKindId',
          label: t('crmAdmin.templates.interactionKind'),
          span: 4,
          ref: { path: '/interaction-kinds', searchParam: null, label: (k) => String(k.name) },
        },
        {
          kind: 'text',
          name: 'subject',
          label: t('crmAdmin.templates.subject'),
          span: 9,
          maxLength: 200,
          visible: (v) => v.kind === 'reply',
        },
        { kind: 'bool', name: 'active', label: t('masters.common.active'), span: 3 },
        {
          kind: 'textarea',
          name: 'body',
          label: t('crmAdmin.templates.body'),
          required: true,
          maxLength: 20000,
          description: hint ? t('crmAdmin.templates.placeholders', { list: hint }) : undefined,
        },
      ],
      toValues: (x) => ({
        kind: x?.kind ?? 'talk',
        name: x?.name ?? '',
        subject: x?.subject ?? '',
        body: x?.body ?? '',
        interactionKindId: x?.interactionKindId ?? '',
        active: x?.active ?? true,
      }),
      toBody: (v) => ({
        kind: v.kind,
        name: text(v.name),
        subject: v.kind === 'reply' ? textOrNull(v.subject) : null,
        body: String(v.body ?? ''),
        interactionKindId: textOrNull(v.interactionKindId),
        active: Boolean(v.active),
      }),
    };
  }, [t, placeholders.data]);
}

/** エスカレーション先グループ and their members. */
export function useGroupsConfig(): MasterConfig<EscalationGroup> {
  const { t } = useTranslation();
  const { staff } = useStaffDirectory();
  return useMemo(() => {
    const staffOptions = staff.map((s) => ({ value: s.id, label: s.name }));
    return {
      id: 'escalation-groups',
      title: t('crmAdmin.groups.title'),
      path: '/escalation-groups',
      search: 'local',
      searchText: (g) => `${g.name} ${g.members.map((m) => m.name).join(' ')}`,
      idOf: (g) => g.id,
      nameOf: (g) => g.name,
      columns: [
        { key: 'name', label: t('masters.common.name'), width: 200, render: (g) => g.name },
        { key: 'description', label: t('crmAdmin.groups.description'), render: (g) => g.description ?? '' },
        {
          key: 'members',
          label: t('crmAdmin.groups.members'),
          render: (g) => (
            <Group gap={4}>
              {g.members.map((m) => (
                <Badge key={m.id} color={m.active ? 'indigo' : 'gray'} variant="outline">
                  {m.name}
                </Badge>
              ))}
            </Group>
          ),
        },
        activeColumn<EscalationGroup>(t),
      ],
      fields: [
        { kind: 'text', name: 'name', label: t('masters.common.name'), required: true, span: 8, maxLength: 100 },
        { kind: 'bool', name: 'active', label: t('masters.common.active'), span: 4 },
        { kind: 'textarea', name: 'description', label: t('crmAdmin.groups.description'), maxLength: 1000 },
        {
          kind: 'multiselect',
          name: 'memberIds',
          label: t('crmAdmin.groups.members'),
          span: 12,
          options: staffOptions,
        },
      ],
      toValues: (g) => ({
        name: g?.name ?? '',
        description: g?.description ?? '',
        active: g?.active ?? true,
        memberIds: g?.members.map((m) => m.id) ?? [],
      }),
      toBody: (v) => ({
        name: text(v.name),
        description: textOrNull(v.description),
        active: Boolean(v.active),
        memberIds: Array.isArray(v.memberIds) ? v.memberIds : [],
      }),
    };
  }, [t, staff]);
}
