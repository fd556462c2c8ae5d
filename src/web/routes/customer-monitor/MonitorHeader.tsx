import { Badge, Box, Group, Paper, Text, Tooltip, UnstyledButton } from '@mantine/core';
import { IconAlertTriangle, IconPhoneCall } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../api/auth';
import { useStaffDirectory } from '../../api/cases';
import { type Customer, customerRankQuery } from '../../api/customers';
import type { ScreenPopEvent } from '../../components/telephony/callStore';
import { formatPhone } from '../../lib/phone';
import { ageOn } from '../../lib/tokyo';
import { addressLine } from '../customers/CustomerSearchPage';
import classes from './MonitorHeader.module.css';
import { RankOverrideModal } from './RankOverrideModal';

function Cell({
  label,
  children,
  testid,
  span,
}: {
  label: string;
  children: ReactNode;
  testid?: string;
  span?: number;
}) {
  return (
    <>
      <div className={classes.label}>{label}</div>
      <div className={classes.value} data-testid={testid} style={span ? { gridColumn: `span ${span}` } : undefined}>
        {children}
      </div>
    </>
  );
}

function RankBadge({ customerId }: { customerId: string }) {
  const { t } = useTranslation();
  const rank = useQuery(customerRankQuery(customerId));
  // Supervisors and admins set the rank by hand (PUT /customers/{id}/rank): the badge opens it.
  const me = useMe();
  const mayOverride = me.role === 'admin' || me.role === 'supervisor';
  const [editing, setEditing] = useState(false);
  const current = rank.data?.rank;
  const tip = [
    rank.data?.source === 'manual' ? t('monitor.rankManual', { reason: rank.data.reason ?? '' }) : '',
    rank.data?.pending ? t('monitor.rankPending') : '',
    mayOverride ? t('monitor.rankOverrideHint') : '',
  ]
    .filter(Boolean)
    .join(' / ');
  const badge = !current ? (
    <Text span size="xs" c="dimmed">
      {t('monitor.noRank')}
    </Text>
  ) : (
    <Badge
      size="md"
      variant="filled"
      color={current.color ?? 'indigo'}
      data-source={rank.data?.source}
      style={{ textTransform: 'none' }}
    >
      {current.name}
      {rank.data?.source === 'manual' ? ' *' : ''}
    </Badge>
  );
  const shown = tip ? <Tooltip label={tip}>{badge}</Tooltip> : badge;
  if (!mayOverride || !rank.data) return shown;
  return (
    <>
      <UnstyledButton
        onClick={() => setEditing(true)}
        data-testid="monitor-rank-edit"
        aria-label={t('monitor.rankOverrideTitle')}
      >
        {shown}
      </UnstyledButton>
      <RankOverrideModal current={editing ? rank.data : null} onClose={() => setEditing(false)} />
    </>
  );
}

/**
 * The monitor's header, laid out as seed 004's 顧客モニタ: code, phones, age and birth month on
 * the first line; name and gender; staff, rank and address; the alert (注意事項) in red beside
 * them, on every tab.
 */
export function MonitorHeader({ customer, call }: { customer: Customer; call: ScreenPopEvent | null }) {
  const { t } = useTranslation();
  const { staff } = useStaffDirectory();
  const age = ageOn(customer.birthDate);
  const month = customer.birthDate ? Number(customer.birthDate.slice(5, 7)) : null;
  const staffName = customer.staffId ? (staff.find((s) => s.id === customer.staffId)?.name ?? '') : '';
  const postal = customer.postalCode ? `〒${customer.postalCode} ` : '';

  return (
    <Paper withBorder p={0} mb="xs" className={classes.header} data-testid="monitor-header">
      <div className={classes.grid}>
        <Cell label={t('monitor.code')} testid="monitor-code">
          <span className="mono">{customer.code}</span>
        </Cell>
        <Cell label={t('monitor.phones')} testid="monitor-phones">
          <Group gap={8}>
            {customer.phones.map((p) => (
              <Text key={p.e164 || p.number} span size="sm" className="nowrap">
                {formatPhone(p.e164 || p.number)}
                <Text span size="xs" c="dimmed" ml={2}>
                  {t(`phoneKinds.${p.kind}`)}
                </Text>
              </Text>
            ))}
          </Group>
        </Cell>
        <Cell label={t('monitor.age')} testid="monitor-age">
          {age === null ? '—' : age}
          {month ? (
            <Text span size="xs" c="dimmed" ml={6}>
              {t('monitor.birthMonth')} {month}
            </Text>
          ) : null}
        </Cell>
        <Cell label={t('monitor.name')}>
          <Box>
            {customer.nameKana ? (
              <Text size="xs" c="dimmed" lh={1.1} data-testid="monitor-kana">
                {customer.nameKana}
              </Text>
            ) : null}
            <Text fw={700} size="lg" lh={1.2} data-testid="monitor-name">
              {customer.name}
            </Text>
          </Box>
        </Cell>
        <Cell label={t('monitor.company')}>{[customer.company, customer.department].filter(Boolean).join(' ')}</Cell>
        <Cell label={t('monitor.gender')} testid="monitor-gender">
          {customer.gender ? t(`genders.${customer.gender}`) : '—'}
        </Cell>
        <Cell label={t('monitor.staff')} testid="monitor-staff">
          {staffName}
        </Cell>
        <Cell label={t('monitor.rank')} testid="monitor-rank">
          <RankBadge customerId={customer.id} />
        </Cell>
        <Cell label={t('monitor.address')} testid="monitor-address">
          <Text span size="sm">
            {postal}
            {addressLine(customer)}
          </Text>
        </Cell>
      </div>
      <div className={classes.side}>
        {call ? (
          <Badge
            color={call.event === 'answered' ? 'teal' : 'orange'}
            variant="filled"
            leftSection={<IconPhoneCall size={12} />}
            mb={4}
            data-testid="monitor-call"
            data-state={call.event}
          >
            {t('monitor.onCall')}
          </Badge>
        ) : null}
        {customer.alert ? (
          <div className={classes.alert} data-testid="monitor-alert" role="alert">
            <IconAlertTriangle size={16} style={{ flexShrink: 0 }} />
            <div>
              <div className={classes.alertLabel}>{t('monitor.alert')}</div>
              {customer.alert}
            </div>
          </div>
        ) : null}
      </div>
    </Paper>
  );
}
