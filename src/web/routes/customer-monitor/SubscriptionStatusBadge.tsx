import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Subscription, SubscriptionStatus } from '../../api/subscriptions';
import { describeCycle } from './subscriptionModel';

const COLORS: Record<SubscriptionStatus, string> = { active: 'teal', paused: 'yellow', cancelled: 'gray' };

/** 継続中 / 休止中 / 解約済. */
export function SubscriptionStatusBadge({ status }: { status: SubscriptionStatus }) {
  const { t } = useTranslation();
  return (
    <Badge color={COLORS[status]} tt="none" data-status={status}>
      {t(`subs.statuses.${status}`)}
    </Badge>
  );
}

/**
 * 周期 in the UI language: the server's label (毎月 10日, 2か月ごと 第2火曜日) in Japanese, the same
 * rule in English from the cycle (the next regular delivery gives the day when the cycle does not).
 */
export function useCycleLabel(): (
  s: Pick<Subscription, 'cycle' | 'cycleLabel' | 'nextDeliveryDate' | 'nextDeliveryMoved' | 'firstDeliveryDate'>,
) => string {
  const { t, i18n } = useTranslation();
  return (s) => {
    if (i18n.language !== 'en') return s.cycleLabel;
    const anchor = s.nextDeliveryMoved ? s.firstDeliveryDate : (s.nextDeliveryDate ?? s.firstDeliveryDate);
    return describeCycle(s.cycle, anchor, t);
  };
}
