import { Alert, Button, CopyButton, Group, Modal, SimpleGrid, Text } from '@mantine/core';
import { IconCopy, IconDownload } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';

function download(codes: string[], fileName: string): void {
  const blob = new Blob([`${codes.join('\r\n')}\r\n`], { type: 'text/plain;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Shows freshly issued recovery codes once; only an explicit "saved" closes it. */
export function RecoveryCodesModal({ codes, onClose }: { codes: string[] | null; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal
      opened={codes !== null}
      onClose={onClose}
      title={t('totp.codesTitle')}
      closeOnClickOutside={false}
      closeOnEscape={false}
      withCloseButton={false}
    >
      <Alert color="yellow" p="xs" mb="xs">
        <Text size="sm">{t('totp.codesLead')}</Text>
      </Alert>
      <SimpleGrid cols={2} spacing={4} data-testid="recovery-codes" mb="sm">
        {(codes ?? []).map((code) => (
          <Text key={code} className="mono" size="sm" ta="center" p={4} bg="gray.1" data-testid="recovery-code">
            {code}
          </Text>
        ))}
      </SimpleGrid>
      <Group justify="space-between">
        <Group gap={6}>
          <CopyButton value={(codes ?? []).join('\n')}>
            {({ copied, copy }) => (
              <Button
                variant="default"
                leftSection={<IconCopy size={14} />}
                onClick={copy}
                color={copied ? 'teal' : undefined}
                data-testid="recovery-copy"
              >
                {copied ? t('common.copied') : t('common.copy')}
              </Button>
            )}
          </CopyButton>
          <Button
            variant="default"
            leftSection={<IconDownload size={14} />}
            onClick={() => download(codes ?? [], t('totp.codesFile'))}
            data-testid="recovery-download"
          >
            {t('common.download')}
          </Button>
        </Group>
        <Button onClick={onClose} data-testid="recovery-done">
          {t('totp.codesSaved')}
        </Button>
      </Group>
    </Modal>
  );
}
