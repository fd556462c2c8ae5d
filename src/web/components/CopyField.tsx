import { ActionIcon, Code, CopyButton, Group, Tooltip } from '@mantine/core';
import { IconCheck, IconCopy } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';

/** A secret or code in monospace with a copy button beside it. */
export function CopyField({ value, testid }: { value: string; testid: string }) {
  const { t } = useTranslation();
  return (
    <Group gap={4} wrap="nowrap" align="center">
      <Code data-testid={testid} style={{ wordBreak: 'break-all', fontSize: '0.85rem', padding: '4px 6px', flex: 1 }}>
        {value}
      </Code>
      <CopyButton value={value}>
        {({ copied, copy }) => (
          <Tooltip label={copied ? t('common.copied') : t('common.copy')} withArrow>
            <ActionIcon
              onClick={copy}
              color={copied ? 'teal' : 'gray'}
              variant="light"
              size="md"
              aria-label={t('common.copy')}
              data-testid={`${testid}-copy`}
            >
              {copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
            </ActionIcon>
          </Tooltip>
        )}
      </CopyButton>
    </Group>
  );
}
