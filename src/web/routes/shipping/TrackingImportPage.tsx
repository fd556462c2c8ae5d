import { Alert, FileInput, Group, Paper, SegmentedControl, Stack, Text } from '@mantine/core';
import { IconFileImport } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { importTracking, SHIPPING_LAYOUTS, type ShippingLayout } from '../../api/shipping';
import type { ImportAnswer } from '../../api/upload';
import { FormAlert } from '../../components/FormAlert';
import { FnButton } from '../../components/fkeys';
import { ImportErrorsTable, ImportSummary } from '../../components/master/CsvImport';
import { PageHeader } from '../../components/PageHeader';
import { notifySuccess } from '../../lib/notify';

/**
 * 問合せ番号取り込み: the carrier's issued-data file (tracking numbers) matched to orders by their
 * number; every row matched → the orders become 出荷済; any row unmatched → nothing changes.
 */
export function TrackingImportPage() {
  const { t } = useTranslation();
  const [carrier, setCarrier] = useState<ShippingLayout>('yamato-b2');
  const [file, setFile] = useState<File | null>(null);
  const [answer, setAnswer] = useState<ImportAnswer | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<unknown>(null);

  const run = async () => {
    if (!file) return;
    setBusy(true);
    setProblem(null);
    setAnswer(null);
    try {
      const result = await importTracking(carrier, file);
      setAnswer(result);
      if (result.ok) {
        const matched = typeof result.body.matched === 'number' ? result.body.matched : result.rows;
        notifySuccess(t('shipping.trackingDone', { count: matched }));
      }
    } catch (error) {
      setProblem(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageHeader title={t('shipping.trackingTitle')} />
      <Stack gap="sm">
        <Paper withBorder p="sm">
          <Group align="flex-end" gap="xs">
            <Stack gap={2}>
              <Text size="xs" fw={500}>
                {t('shipping.carrier')}
              </Text>
              <SegmentedControl
                value={carrier}
                onChange={(v) => setCarrier(v as ShippingLayout)}
                data={SHIPPING_LAYOUTS.map((c) => ({ value: c, label: t(`shipping.layouts.${c}`) }))}
                data-testid="tracking-carrier"
              />
            </Stack>
            <FileInput
              label={t('shipping.trackingFile')}
              accept=".csv,.txt,text/csv"
              value={file}
              onChange={(f) => {
                setFile(f);
                setAnswer(null);
              }}
              leftSection={<IconFileImport size={14} />}
              clearable
              w={320}
              data-testid="tracking-file"
            />
            <FnButton fkey="F1" onClick={() => void run()} disabled={!file} loading={busy} testid="tracking-import">
              {t('shipping.trackingImport')}
            </FnButton>
          </Group>
          <Text size="xs" c="dimmed" mt={6}>
            {t('shipping.trackingLead')}
          </Text>
        </Paper>
        <FormAlert error={problem} testid="tracking-error" />
        {answer ? (
          <Paper withBorder p="sm" data-testid="tracking-result">
            <Stack gap={6}>
              <ImportSummary answer={answer} testid="tracking-summary" />
              {answer.ok ? (
                <Alert color="teal" p="xs">
                  {t('shipping.trackingApplied')}
                </Alert>
              ) : (
                <Alert color="red" p="xs" title={answer.title}>
                  {t('shipping.trackingNothing')}
                </Alert>
              )}
              <ImportErrorsTable errors={answer.errors} testid="tracking-errors" />
            </Stack>
          </Paper>
        ) : null}
      </Stack>
    </>
  );
}
