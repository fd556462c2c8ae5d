import { Anchor, Badge, Grid, Group, Paper, Table, Text, Title } from '@mantine/core';
import { IconAlarm } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../api/auth';
import { CASE_STATUS_COLORS, type CaseEvent, type CaseStatus, caseHistoryQuery, caseQuery } from '../../api/cases';
import { faqFromCase } from '../../api/faq';
import { FnButton } from '../../components/fkeys';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { formatDateTime } from '../../lib/datetime';
import { notifyError, notifySuccess } from '../../lib/notify';
import { CaseUpdateForm } from './CaseUpdateForm';

function Field({ label, children, testid }: { label: string; children: ReactNode; testid?: string }) {
  return (
    <Table.Tr>
      <Table.Th w={110} bg="gray.1">
        {label}
      </Table.Th>
      <Table.Td data-testid={testid}>{children}</Table.Td>
    </Table.Tr>
  );
}

function useEventText() {
  const { t } = useTranslation();
  return (e: CaseEvent, value: string | null, name: string | null): string => {
    if (value === null) return '';
    if ((e.kind === 'status' || e.kind === 'created') && value in CASE_STATUS_COLORS) {
      return t(`cases.statuses.${value as CaseStatus}`);
    }
    if (e.kind === 'due' || e.kind === 'alarm') return formatDateTime(value);
    return name ?? value;
  };
}

/** 案件: its state, the update form (F1) and every change in its history. */
export function CasePage() {
  const { t } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();
  const { caseId } = useParams({ strict: false }) as { caseId: string };
  const item = useQuery(caseQuery(caseId));
  const history = useQuery(caseHistoryQuery(caseId));
  const eventText = useEventText();
  const staff = me.role === 'admin' || me.role === 'supervisor';

  const makeFaq = async () => {
    try {
      const article = await faqFromCase(caseId);
      notifySuccess(t('cases.faqMade'));
      await navigate({ to: '/faq', search: { focus: article.id } });
    } catch (error) {
      notifyError(error);
    }
  };

  const c = item.data;
  return (
    <>
      <PageHeader title={c ? `${t('cases.detailTitle', { number: c.number })} ${c.title}` : t('cases.boardTitle')}>
        {staff && c ? (
          <FnButton fkey="F9" variant="default" onClick={() => void makeFaq()} testid="case-make-faq">
            {t('cases.makeFaq')}
          </FnButton>
        ) : null}
        <FnButton
          fkey="F5"
          variant="default"
          onClick={() => {
            void item.refetch();
            void history.refetch();
          }}
          testid="case-refresh"
        >
          {t('common.refresh')}
        </FnButton>
      </PageHeader>
      {c ? (
        <Grid gap="xs">
          <Grid.Col span={{ base: 12, lg: 6 }}>
            <Paper withBorder p={0} mb="xs">
              <Table striped={false} highlightOnHover={false} data-testid="case-summary">
                <Table.Tbody>
                  <Field label={t('cases.status')} testid="case-status">
                    <Group gap={6}>
                      <Badge color={CASE_STATUS_COLORS[c.status]}>{t(`cases.statuses.${c.status}`)}</Badge>
                      {c.overdue ? (
                        <Badge
                          color="red"
                          variant="filled"
                          leftSection={<IconAlarm size={11} />}
                          data-testid="case-overdue"
                        >
                          {t('cases.overdue')}
                        </Badge>
                      ) : null}
                    </Group>
                  </Field>
                  <Field label={t('cases.customer')}>
                    {c.customer ? (
                      <Anchor component={Link} to={`/customers/${c.customer.id}`} size="xs" data-testid="case-customer">
                        {c.customer.name} <span className="mono">{c.customer.code}</span>
                      </Anchor>
                    ) : null}
                  </Field>
                  <Field label={t('cases.assignee')}>{c.assignee?.name}</Field>
                  <Field label={t('cases.group')}>{c.group?.name}</Field>
                  <Field label={t('cases.supervisor')}>{c.supervisor?.name ?? t('escalate.supervisorDefault')}</Field>
                  <Field label={t('cases.due')} testid="case-due">
                    <Text size="xs" c={c.overdue ? 'red.8' : undefined} fw={c.overdue ? 700 : 400}>
                      {formatDateTime(c.dueAt)}
                    </Text>
                  </Field>
                  <Field label={t('cases.createdAt')}>{formatDateTime(c.createdAt)}</Field>
                  <Field label={t('cases.note')}>
                    <Text size="xs" style={{ whiteSpace: 'pre-wrap' }}>
                      {c.note}
                    </Text>
                  </Field>
                </Table.Tbody>
              </Table>
            </Paper>
            <CaseUpdateForm item={c} />
          </Grid.Col>
          <Grid.Col span={{ base: 12, lg: 6 }}>
            <Paper withBorder p="xs">
              <Title order={3} mb={4}>
                {t('cases.history')}
              </Title>
              {history.data ? (
                <Table data-testid="case-history">
                  <Table.Tbody>
                    {history.data.items.map((e) => (
                      <Table.Tr key={e.id} data-testid={`case-event-${e.id}`} data-kind={e.kind}>
                        <Table.Td className="nowrap" w={120}>
                          {formatDateTime(e.at)}
                        </Table.Td>
                        <Table.Td className="nowrap" w={110}>
                          {e.actor.name ?? e.actor.label}
                        </Table.Td>
                        <Table.Td className="nowrap" w={100}>
                          <Badge variant="outline" color={e.kind === 'alarm' ? 'red' : 'gray'}>
                            {t(`cases.events.${e.kind}`)}
                          </Badge>
                        </Table.Td>
                        <Table.Td style={{ whiteSpace: 'pre-wrap' }}>
                          {e.kind === 'comment' || e.kind === 'note' || e.kind === 'created'
                            ? eventText(e, e.to, e.toName)
                            : [eventText(e, e.from, e.fromName), eventText(e, e.to, e.toName)]
                                .filter(Boolean)
                                .join(' → ')}
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              ) : (
                <QueryState error={history.error} onRetry={() => void history.refetch()} />
              )}
            </Paper>
          </Grid.Col>
        </Grid>
      ) : (
        <QueryState error={item.error} onRetry={() => void item.refetch()} />
      )}
    </>
  );
}
