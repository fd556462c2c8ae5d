import { Badge, Box, Group, Tooltip, UnstyledButton } from '@mantine/core';
import { IconPhoneCall, IconPhoneIncoming, IconPhoneOff, IconPhoneOutgoing } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { formatPhone } from '../../lib/phone';
import { customerNumber, useCallState } from './callStore';
import { usePopCall } from './ScreenPop';

const COLORS = { ringing: 'orange', answered: 'teal', ended: 'gray' } as const;
const STREAM_COLORS = { open: 'teal', connecting: 'yellow', closed: 'gray' } as const;

/**
 * The header's call state: the customer's number (and name when one customer matched) while a
 * call lasts; a click opens the call's customer again. A dot tells whether the stream is up.
 */
export function CallIndicator() {
  const { t } = useTranslation();
  const call = useCallState((s) => s.call);
  const stream = useCallState((s) => s.stream);
  const pop = usePopCall();

  const dot = (
    <Tooltip label={t(`screenPop.stream.${stream}`)}>
      <Box
        w={8}
        h={8}
        bg={`${STREAM_COLORS[stream]}.6`}
        style={{ borderRadius: '50%', flexShrink: 0 }}
        data-testid="screenpop-status"
        data-state={stream}
        aria-label={t(`screenPop.stream.${stream}`)}
      />
    </Tooltip>
  );
  if (!call) return dot;

  const number = customerNumber(call);
  const [only] = call.items;
  const name =
    call.items.length === 1 && only
      ? only.name
      : call.items.length > 1
        ? t('common.count', { count: call.items.length })
        : '';
  const Icon =
    call.event === 'ended'
      ? IconPhoneOff
      : call.event === 'answered'
        ? IconPhoneCall
        : call.direction === 'outbound'
          ? IconPhoneOutgoing
          : IconPhoneIncoming;

  return (
    <Group gap={6} wrap="nowrap">
      {dot}
      <Tooltip label={t('screenPop.reopen')}>
        <UnstyledButton
          onClick={() => pop(call)}
          data-testid="header-call"
          data-state={call.event}
          data-call-id={call.callId}
        >
          <Badge
            size="lg"
            color={COLORS[call.event]}
            variant={call.event === 'ended' ? 'light' : 'filled'}
            leftSection={<Icon size={14} />}
            style={{ textTransform: 'none' }}
          >
            {t(`screenPop.${call.event}`)} {number ? formatPhone(number) : t('screenPop.withheld')}
            {name ? ` ${name}` : ''}
          </Badge>
        </UnstyledButton>
      </Tooltip>
    </Group>
  );
}
