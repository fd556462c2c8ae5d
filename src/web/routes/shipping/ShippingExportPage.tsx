import { Alert, Badge, Group, Paper, SegmentedControl, Stack, Table, Text, TextInput } from '@mantine/core';
import { IconDownload, IconEye } from '@tabler/icons-react';
import { useSearch } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client';
import {
  exportShipments,
  previewShipments,
  SHIPPING_LAYOUTS,
  type ShipmentPreview,
  type ShippingLayout,
} from '../../api/shipping';
import { FormAlert } from '../../components/FormAlert';
import { FnButton } from '../../components/fkeys';
import { PageHeader } from '../../components/PageHeader';
import { todayInTokyo } from '../../lib/datetime';
import { notifySuccess } from '../../lib/notify';

/**
 * 送り状データ出力: pick the carrier and the ship date, preview the day's parcels and every field
 * the carrier would refuse, then download the file in the carrier's own layout (its orders become
 * 出荷指示).
 */
export function ShippingExportPage() {
  const { t } = useTranslation();
  const [carrier, setCarrier] = useState<ShippingLayout>('yamato-b2');
  const search = useSearch({ strict: false });
  const [shipDate, setShipDate] = useState(search.shipDate ?? todayInTokyo());
  const [preview, setPreview] = useState<ShipmentPreview | null>(null);
  const [previewMissing, setPreviewMissing] = useState(false);
  const [busy, setBusy] = useState<'preview' | 'export' | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const [last, setLast] = useState<{ filename: string; size: number; count: string | null } | null>(null);

  const load = async () => {
    setBusy('preview');
    setProblem(null);
    setPreviewMissing(false);
    try {
      setPreview(await previewShipments(carrier, shipDate));
    } catch (error) {
      setPreview(null);
      if (isApiError(error) && error.status === 404 && error.code !== 'not_found') setPreviewMissing(true);
      else setProblem(error);
    } finally {
      setBusy(null);
    }
  };
  const download = async () => {
    setBusy('export');
    setProblem(null);
    try {
      const file = await exportShipments(carrier, shipDate);
      setLast({ filename: file.filename, size: file.size, count: file.headers.get('x-shipment-count') });
      notifySuccess(t('shipping.exported', { filename: file.filename }));
      setPreview(null);
    } catch (error) {
      setProblem(error);
    } finally {
      setBusy(null);
    }
  };
  const problems = preview?.problems ?? [];

  return (
    <>
      <PageHeader title={t('shipping.exportTitle')} />
      <Stack gap="sm">
        <Paper withBorder p="sm">
          <Group align="flex-end" gap="xs">
            <Stack gap={2}>
              <Text size="xs" fw={500}>
                {t('shipping.carrier')}
              </Text>
              <SegmentedControl
                value={carrier}
                onChange={(v) => {
                  setCarrier(v as ShippingLayout);
                  setPreview(null);
                }}
                data={SHIPPING_LAYOUTS.map((c) => ({ value: c, label: t(`shipping.layouts.${c}`) }))}
                data-testid="shipping-export-carrier"
              />
            </Stack>
            <TextInput
              type="date"
              label={t('shipping.shipDate')}
              value={shipDate}
              onChange={(e) => {
                setShipDate(e.currentTarget.value);
                setPreview(null);
              }}
              w={160}
              data-testid="shipping-export-date"
            />
            <FnButton
              fkey="F3"
              variant="default"
              leftSection={<IconEye size={14} />}
              onClick={() => void load()}
              loading={busy === 'preview'}
              disabled={!shipDate}
              testid="shipping-export-preview"
            >
              {t('shipping.preview')}
            </FnButton>
            <FnButton
              fkey="F1"
              leftSection={<IconDownload size={14} />}
              onClick={() => void download()}
              loading={busy === 'export'}
              disabled={!shipDate || problems.length > 0}
              testid="shipping-export-download"
            >
              {t('shipping.download')}
            </FnButton>
          </Group>
          <Text size="xs" c="dimmed" mt={6}>
            {t('shipping.exportLead')}
          </Text>
        </Paper>
        <FormAlert error={problem} testid="shipping-export-error" />
        {isApiError(problem) && problem.errors.length > 0 ? (
          <Table data-testid="shipping-export-error-rows">
            <Table.Tbody>
              {problem.errors.map((e, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: problems are listed as the server sent them
                <Table.Tr key={i}>
                  <Table.Td className="mono">{e.path}</Table.Td>
                  <Table.Td>{e.message}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        ) : null}
        {last ? (
          <Alert color="teal" p="xs" data-testid="shipping-export-done">
            {t('shipping.exportDone', { filename: last.filename, size: last.size.toLocaleString('ja-JP') })}
            {last.count ? ` ${t('shipping.parcels', { count: Number(last.count) })}` : ''}
          </Alert>
        ) : null}
        {previewMissing ? (
          <Alert color="gray" p="xs">
            {t('shipping.previewUnavailable')}
          </Alert>
        ) : null}
        {preview ? (
          <Paper withBorder p="sm" data-testid="shipping-export-preview-result">
            <Group gap={6} mb={6}>
              <Badge color="indigo" variant="filled">
                {t('shipping.parcels', { count: preview.items.length })}
              </Badge>
              {problems.length > 0 ? (
                <Badge color="red" variant="filled" data-testid="shipping-export-problem-count">
                  {t('shipping.problems', { count: problems.length })}
                </Badge>
              ) : (
                <Badge color="teal">{t('shipping.noProblems')}</Badge>
              )}
            </Group>
            {problems.length > 0 ? (
              <Table mb="sm" data-testid="shipping-export-problems">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th w={130}>{t('shipping.orderNumber')}</Table.Th>
                    <Table.Th w={160}>{t('shipping.field')}</Table.Th>
                    <Table.Th>{t('master.csv.problem')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {problems.map((p, i) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: problems are listed as the server sent them
                    <Table.Tr key={i}>
                      <Table.Td className="mono">{p.orderNumber ?? ''}</Table.Td>
                      <Table.Td>{p.field ?? ''}</Table.Td>
                      <Table.Td c="red.8">{p.message}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            ) : null}
            <Table.ScrollContainer minWidth={800}>
              <Table data-testid="shipping-export-rows">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th w={130}>{t('shipping.orderNumber')}</Table.Th>
                    <Table.Th>{t('shipping.customer')}</Table.Th>
                    <Table.Th>{t('shipping.address')}</Table.Th>
                    <Table.Th w={110}>{t('shipping.deliveryDate')}</Table.Th>
                    <Table.Th w={90}>{t('shipping.timeSlot')}</Table.Th>
                    <Table.Th w={90} ta="right">
                      {t('shipping.cod')}
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {preview.items.length === 0 ? (
                    <Table.Tr>
                      <Table.Td colSpan={6}>
                        <Text size="xs" c="dimmed" ta="center">
                          {t('shipping.nothingToShip')}
                        </Text>
                      </Table.Td>
                    </Table.Tr>
                  ) : null}
                  {preview.items.map((r) => (
                    <Table.Tr key={r.orderId}>
                      <Table.Td className="mono">{r.orderNumber}</Table.Td>
                      <Table.Td>{r.customerName}</Table.Td>
                      <Table.Td>{[r.prefecture, r.address].filter(Boolean).join(' ')}</Table.Td>
                      <Table.Td className="nowrap">{r.deliveryDate ?? ''}</Table.Td>
                      <Table.Td>{r.timeSlot ?? ''}</Table.Td>
                      <Table.Td className="num">{r.cod ? `¥${r.cod.toLocaleString('ja-JP')}` : ''}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Paper>
        ) : null}
      </Stack>
    </>
  );
}
