import { notifications } from '@mantine/notifications';
import { isApiError } from '../api/client';
import { i18n } from '../i18n';

export function notifySuccess(message: string): void {
  notifications.show({ message, color: 'teal', autoClose: 3000, withBorder: true });
}

/** Human text for any thrown value: the problem title and detail when the server sent one. */
export function describeError(error: unknown): { title: string; message: string | undefined } {
  if (isApiError(error)) {
    if (error.status === 0) return { title: i18n.t('errors.network'), message: undefined };
    const message = [error.detail, error.requestId ? i18n.t('errors.requestId', { id: error.requestId }) : undefined]
      .filter(Boolean)
      .join(' / ');
    return { title: error.title, message: message || undefined };
  }
  return { title: i18n.t('errors.unexpected'), message: error instanceof Error ? error.message : undefined };
}

export function notifyError(error: unknown): void {
  const { title, message } = describeError(error);
  notifications.show({ title, message: message ?? title, color: 'red', autoClose: 8000, withBorder: true });
}

export function notifyWarning(message: string): void {
  notifications.show({ message, color: 'orange', autoClose: 6000, withBorder: true });
}
