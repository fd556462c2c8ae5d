import { Group, Modal, Stack, Text, UnstyledButton } from '@mantine/core';
import { IconUserPlus } from '@tabler/icons-react';
import { useNavigate } from '@tanstack/react-router';
import { type KeyboardEvent, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../api/auth';
import { API_BASE } from '../../api/client';
import type { Customer } from '../../api/customers';
import { formatPhone } from '../../lib/phone';
import { DESK } from '../../lib/screens';
import { ageOn } from '../../lib/tokyo';
import { callStore, customerNumber, eventTracker, type ScreenPopEvent, useCallState } from './callStore';
import classes from './ScreenPop.module.css';

const MIN_BACKOFF_MS = 1_000;
const MAX_BACKOFF_MS = 30_000;
/** How long the header keeps showing a call after it ended. */
const ENDED_SHOWN_MS = 15_000;

/** Opens what a call event asks for: the monitor (one match), the pick list (several) or the new-customer form. */
export function usePopCall() {
  const navigate = useNavigate();
  return (call: ScreenPopEvent) => {
    const number = customerNumber(call);
    const [only] = call.items;
    if (call.items.length === 1 && only) {
      callStore.setPicking(null);
      void navigate({
        to: '/customers/$customerId',
        params: { customerId: only.id },
        search: { tab: 'interactions', callId: call.callId },
      });
    } else if (call.items.length > 1) {
      callStore.setPicking(call);
    } else if (call.lookupFailed) {
      void navigate({ to: '/customers', search: { q: number } });
    } else {
      void navigate({ to: '/customers/new', search: { phone: number, callId: call.callId } });
    }
  };
}

/**
 * The app-wide listener: GET /telephony/stream?agentId=<me> (session cookie). A `ringing` or
 * `answered` event pops the call's customer once per call; the header shows the call until it
 * ends. The browser's own retry covers dropped connections, and sends the last frame's id as
 * Last-Event-ID: the server replays the events missed meanwhile. A refused connection (401, 5xx)
 * closes the EventSource, and this reopens it with a growing delay, passing that id itself
 * (`lastEventId=`). An event already handled (same id) is skipped, so nothing pops twice.
 */
function useScreenPopStream(): void {
  const me = useMe();
  const pop = usePopCall();
  const popRef = useRef(pop);
  popRef.current = pop;
  // Only the roles that take calls (the desk) listen to the stream.
  const listens = DESK.includes(me.role);

  useEffect(() => {
    if (!listens) return;
    let source: EventSource | null = null;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let clear: ReturnType<typeof setTimeout> | undefined;
    let backoff = MIN_BACKOFF_MS;
    let stopped = false;
    const popped = new Set<string>();
    const events = eventTracker();

    const onCall = (message: MessageEvent<string>) => {
      if (!events.first(message.lastEventId)) return;
      let call: ScreenPopEvent;
      try {
        call = JSON.parse(message.data) as ScreenPopEvent;
      } catch {
        return;
      }
      clearTimeout(clear);
      callStore.setCall(call);
      if (call.event === 'ended') {
        if (callStore.get().picking?.callId === call.callId) callStore.setPicking(null);
        clear = setTimeout(() => {
          if (callStore.get().call?.callId === call.callId) callStore.setCall(null);
        }, ENDED_SHOWN_MS);
        return;
      }
      if (popped.has(call.callId)) return;
      popped.add(call.callId);
      popRef.current(call);
    };

    const open = () => {
      if (stopped) return;
      callStore.setStream('connecting');
      const resume = events.last ? `&lastEventId=${encodeURIComponent(events.last)}` : '';
      const url = `${API_BASE}/telephony/stream?agentId=${encodeURIComponent(me.id)}${resume}`;
      const es = new EventSource(url, { withCredentials: true });
      source = es;
      es.onopen = () => {
        backoff = MIN_BACKOFF_MS;
        callStore.setStream('open');
      };
      es.onerror = () => {
        if (es.readyState === EventSource.CLOSED) {
          es.close();
          callStore.setStream('closed');
          const delay = backoff + Math.floor(Math.random() * 500);
          backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
          retry = setTimeout(open, delay);
        } else {
          callStore.setStream('connecting');
        }
      };
      es.addEventListener('call', onCall as EventListener);
    };

    open();
    return () => {
      stopped = true;
      clearTimeout(retry);
      clearTimeout(clear);
      source?.close();
      callStore.setStream('closed');
      callStore.setCall(null);
      callStore.setPicking(null);
    };
  }, [listens, me.id]);
}

function PickOption({ customer, onOpen, first }: { customer: Customer; onOpen: () => void; first: boolean }) {
  const age = ageOn(customer.birthDate);
  return (
    <UnstyledButton
      className={classes.option}
      onClick={onOpen}
      data-autofocus={first || undefined}
      data-testid={`screenpop-option-${customer.id}`}
    >
      <Group justify="space-between" wrap="nowrap" gap="xs">
        <div style={{ minWidth: 0 }}>
          <Text size="sm" fw={600}>
            {customer.name}
            <Text span size="xs" c="dimmed" ml={6}>
              {customer.nameKana}
            </Text>
          </Text>
          <Text size="xs" c="dimmed" truncate>
            {[customer.prefecture, customer.city, customer.address1].filter(Boolean).join(' ')}
          </Text>
          {customer.alert ? (
            <Text size="xs" c="red.8" fw={600} truncate>
              {customer.alert}
            </Text>
          ) : null}
        </div>
        <div style={{ textAlign: 'right', flexShrink: 0 }}>
          <Text size="xs" className="mono">
            {customer.code}
          </Text>
          <Text size="xs" c="dimmed">
            {age === null ? '' : `${age}`}
          </Text>
        </div>
      </Group>
    </UnstyledButton>
  );
}

/** Several customers share the caller's number: the operator picks one (↑↓ Enter) or registers a new one. */
function PickList() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const picking = useCallState((s) => s.picking);
  const close = () => callStore.setPicking(null);
  const number = picking ? customerNumber(picking) : '';

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    const buttons = Array.from(event.currentTarget.querySelectorAll<HTMLButtonElement>('button[data-testid]'));
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    const next = event.key === 'ArrowDown' ? Math.min(at + 1, buttons.length - 1) : Math.max(at - 1, 0);
    buttons[next]?.focus();
    event.preventDefault();
  };

  return (
    <Modal
      opened={picking !== null}
      onClose={close}
      title={t('screenPop.pickTitle', { number: formatPhone(number), count: picking?.items.length ?? 0 })}
      size="lg"
    >
      {picking ? (
        // biome-ignore lint/a11y/noStaticElementInteractions: arrow keys move between the options inside
        <div onKeyDown={onKeyDown} data-testid="screenpop-picklist">
          <Text size="xs" c="dimmed" mb={6}>
            {t('screenPop.pickLead')}
          </Text>
          <Stack gap={4}>
            {picking.items.map((customer, index) => (
              <PickOption
                key={customer.id}
                customer={customer}
                first={index === 0}
                onOpen={() => {
                  close();
                  void navigate({
                    to: '/customers/$customerId',
                    params: { customerId: customer.id },
                    search: { tab: 'interactions', callId: picking.callId },
                  });
                }}
              />
            ))}
            <UnstyledButton
              className={classes.option}
              data-testid="screenpop-option-new"
              onClick={() => {
                close();
                void navigate({ to: '/customers/new', search: { phone: number, callId: picking.callId } });
              }}
            >
              <Group gap="xs">
                <IconUserPlus size={16} />
                <Text size="sm">{t('screenPop.pickNew')}</Text>
              </Group>
            </UnstyledButton>
          </Stack>
        </div>
      ) : null}
    </Modal>
  );
}

/** Mounted once in the app shell: the stream listener and the pick list dialog. */
export function ScreenPop() {
  useScreenPopStream();
  return <PickList />;
}
