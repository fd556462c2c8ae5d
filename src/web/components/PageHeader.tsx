import { Group, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useDocumentTitle } from '../lib/useDocumentTitle';

/** Screen title (also the document title) with the screen's buttons on the right. */
export function PageHeader({ title, children }: { title: string; children?: ReactNode }) {
  useDocumentTitle(title);
  return (
    <Group justify="space-between" mb="xs" gap="xs" wrap="nowrap" mih={30}>
      <Title order={1} data-testid="page-title">
        {title}
      </Title>
      {children ? (
        <Group gap={6} wrap="nowrap">
          {children}
        </Group>
      ) : null}
    </Group>
  );
}
