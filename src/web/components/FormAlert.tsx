import { Alert } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { describeError } from '../lib/notify';

/** The problem title and detail of a failed form submission, shown above the form. */
export function FormAlert({ error, testid = 'form-error' }: { error: unknown; testid?: string }) {
  if (!error) return null;
  const { title, message } = describeError(error);
  return (
    <Alert
      color="red"
      variant="light"
      p="xs"
      title={title}
      icon={<IconAlertTriangle size={16} />}
      data-testid={testid}
      role="alert"
    >
      {message}
    </Alert>
  );
}
