import { Group, NativeSelect, SegmentedControl, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { i18n } from '../../i18n';
import { formatDate } from '../../lib/datetime';
import { type CycleDraft, NTHS, WEEKDAYS } from './subscriptionModel';

interface Props {
  value: CycleDraft;
  onChange: (next: CycleDraft) => void;
  errors?: { every?: string | undefined; dayOfMonth?: string | undefined; cycle?: string | undefined };
  /** testid prefix: `${testid}-every`, `-unit`, `-month-mode`, `-day`, `-nth`, `-weekday`. */
  testid: string;
}

/** 周期: every N day / week / month; monthly on a day of the month (else the first delivery's) or the nth weekday. */
export function SubscriptionCycleFields({ value, onChange, errors = {}, testid }: Props) {
  const { t } = useTranslation();
  const set = <K extends keyof CycleDraft>(key: K, next: CycleDraft[K]) => onChange({ ...value, [key]: next });
  return (
    <div>
      <Group gap={6} wrap="nowrap" align="flex-start">
        <TextInput
          w={64}
          value={value.every}
          onChange={(e) => set('every', e.currentTarget.value)}
          error={errors.every}
          aria-label={t('subs.every')}
          inputMode="numeric"
          className="num"
          data-testid={`${testid}-every`}
        />
        <SegmentedControl
          size="xs"
          value={value.unit}
          onChange={(unit) => set('unit', unit as CycleDraft['unit'])}
          data={(['day', 'week', 'month'] as const).map((u) => ({ value: u, label: t(`subs.units.${u}`) }))}
          data-testid={`${testid}-unit`}
        />
      </Group>
      {value.unit === 'month' ? (
        <Group gap={6} mt={4} wrap="nowrap" align="flex-start">
          <SegmentedControl
            size="xs"
            value={value.monthMode}
            onChange={(mode) => set('monthMode', mode as CycleDraft['monthMode'])}
            data={[
              { value: 'date', label: t('subs.monthModes.date') },
              { value: 'weekday', label: t('subs.monthModes.weekday') },
            ]}
            data-testid={`${testid}-month-mode`}
          />
          {value.monthMode === 'date' ? (
            <TextInput
              w={150}
              value={value.dayOfMonth}
              onChange={(e) => set('dayOfMonth', e.currentTarget.value)}
              error={errors.dayOfMonth}
              placeholder={t('subs.dayOfMonthHint')}
              aria-label={t('subs.dayOfMonth')}
              inputMode="numeric"
              rightSection={
                <Text size="xs" c="dimmed">
                  {t('subs.daySuffix')}
                </Text>
              }
              data-testid={`${testid}-day`}
            />
          ) : (
            <>
              <NativeSelect
                w={90}
                value={value.nth}
                onChange={(e) => set('nth', e.currentTarget.value as CycleDraft['nth'])}
                aria-label={t('subs.nth')}
                data={NTHS.map((n) => ({ value: n, label: t(`subs.nths.${n}`) }))}
                data-testid={`${testid}-nth`}
              />
              <NativeSelect
                w={100}
                value={value.weekday}
                onChange={(e) => set('weekday', e.currentTarget.value as CycleDraft['weekday'])}
                aria-label={t('subs.weekday')}
                data={WEEKDAYS.map((d) => ({ value: d, label: t(`subs.weekdays.${d}`) }))}
                data-testid={`${testid}-weekday`}
              />
            </>
          )}
        </Group>
      ) : null}
      {errors.cycle ? (
        <Text size="xs" c="red" mt={2}>
          {errors.cycle}
        </Text>
      ) : null}
    </div>
  );
}

/** The next deliveries a form's cycle gives (computed with the server's rules), or nothing. */
export function SubscriptionPreview({ dates, label, testid }: { dates: string[]; label: string; testid: string }) {
  if (dates.length === 0) return null;
  return (
    <Text size="xs" c="dimmed" data-testid={testid}>
      {label}: {dates.map((d) => formatDate(d, i18n.language)).join('、')}
    </Text>
  );
}
