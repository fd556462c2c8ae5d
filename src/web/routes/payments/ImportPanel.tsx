import {
  Alert,
  Badge,
  Button,
  FileInput,
  Group,
  NativeSelect,
  Paper,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { IconFileImport, IconUpload } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ordersKey } from '../../api/orders';
import {
  IMPORT_KINDS,
  type ImportColumn,
  type ImportKind,
  type ImportResult,
  importStatement,
  paymentsKey,
} from '../../api/payments';
import type { ImportAnswer } from '../../api/upload';
import { FormAlert } from '../../components/FormAlert';
import { FnButton } from '../../components/fkeys';
import { ImportErrorsTable } from '../../components/master/CsvImport';
import { notifySuccess } from '../../lib/notify';
import { yen } from '../masters/common';

/** The columns each CSV kind reads (docs/payments.md). */
const COLUMNS_OF: Record<Exclude<ImportKind, 'zengin'>, readonly ImportColumn[]> = {
  bank_csv: ['date', 'amount', 'name', 'reference'],
  cod: ['date', 'amount', 'name', 'tracking', 'orderNumber'],
  deferred: ['date', 'amount', 'name', 'orderNumber'],
};

const OUTCOME_COLOR = { matched: 'teal', queued: 'orange', duplicate: 'gray' } as const;

/** The counts and every line of a dry run or an import: matched to which order by which rule, or queued and why. */
function ImportResultView({ result, dryRun }: { result: ImportResult; dryRun: boolean }) {
  const { t } = useTranslation();
  return (
    <Stack gap={6}>
      <Group gap={8} data-testid="payments-import-summary" data-dry-run={dryRun ? 'true' : 'false'}>
        <Badge color={dryRun ? 'blue' : 'teal'} variant="filled">
          {dryRun ? t('payments.importer.planned') : t('payments.importer.done')}
        </Badge>
        <Text size="xs">{t('payments.importer.lines', { count: result.lines })}</Text>
        <Text size="xs" c="teal.8" fw={700}>
          {t('payments.importer.matchedCount', { count: result.matched })}
        </Text>
        <Text size="xs" c="orange.8" fw={700}>
          {t('payments.importer.queuedCount', { count: result.queued })}
        </Text>
        <Text size="xs">{t('payments.importer.duplicatesCount', { count: result.duplicates })}</Text>
        <Text size="xs">{t('payments.importer.skippedCount', { count: result.skipped })}</Text>
        <Text size="xs">
          {t('payments.importer.total')} {yen(result.amount)}
        </Text>
      </Group>
      <Table data-testid="payments-import-items">
        <Table.Thead className="nowrap">
          <Table.Tr>
            <Table.Th w={50} className="num">
              {t('payments.importer.row')}
            </Table.Th>
            <Table.Th w={100}>{t('payments.paidOn')}</Table.Th>
            <Table.Th w={100} className="num">
              {t('payments.amount')}
            </Table.Th>
            <Table.Th>{t('payments.payer')}</Table.Th>
            <Table.Th w={90}>{t('payments.importer.outcome')}</Table.Th>
            <Table.Th w={110}>{t('payments.orderNumber')}</Table.Th>
            <Table.Th>{t('payments.importer.why')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {result.items.map((item) => (
            <Table.Tr key={item.row} data-testid={`payments-import-row-${item.row}`} data-outcome={item.outcome}>
              <Table.Td className="num">{item.row}</Table.Td>
              <Table.Td>{item.paidOn}</Table.Td>
              <Table.Td className="num">{yen(item.amount)}</Table.Td>
              <Table.Td>{item.payerName}</Table.Td>
              <Table.Td>
                <Badge color={OUTCOME_COLOR[item.outcome]}>{t(`payments.outcomes.${item.outcome}`)}</Badge>
              </Table.Td>
              <Table.Td className="mono">{item.orderNumber ?? ''}</Table.Td>
              <Table.Td>
                {item.rule ? t(`payments.rules.${item.rule}` as 'payments.rules.reference') : ''}
                {item.queueReason ? t(`payments.reasons.${item.queueReason}` as 'payments.reasons.ambiguous') : ''}
                {item.outcome === 'queued' && item.candidates.length > 0 ? (
                  <Text span size="xs" c="dimmed" ml={6}>
                    {t('payments.importer.suggested', {
                      numbers: item.candidates.map((c) => c.number).join(', '),
                    })}
                  </Text>
                ) : null}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}

/**
 * 入金データ取込: a 全銀協 statement, a bank's CSV, a carrier's 代引き remittance or a 後払い
 * settlement. The check (dry run) shows every line's match; the import writes them all or none.
 */
export function ImportPanel() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [kind, setKind] = useState<ImportKind>('zengin');
  const [file, setFile] = useState<File | null>(null);
  const [columns, setColumns] = useState<Partial<Record<ImportColumn, string>>>({});
  const [checked, setChecked] = useState<ImportAnswer | null>(null);
  const [done, setDone] = useState<ImportAnswer | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<unknown>(null);

  const resetAnswers = () => {
    setChecked(null);
    setDone(null);
    setProblem(null);
  };
  const run = async (dryRun: boolean) => {
    if (!file) return;
    setBusy(true);
    setProblem(null);
    try {
      const named = kind === 'zengin' ? {} : Object.fromEntries(COLUMNS_OF[kind].map((c) => [c, columns[c] ?? '']));
      const answer = await importStatement(file, kind, dryRun, named);
      if (dryRun) {
        setChecked(answer);
        setDone(null);
      } else {
        setDone(answer);
        if (answer.ok) {
          const result = answer.body as unknown as ImportResult;
          notifySuccess(t('payments.importer.toast', { matched: result.matched, queued: result.queued }));
          await queryClient.invalidateQueries({ queryKey: paymentsKey });
          await queryClient.invalidateQueries({ queryKey: ordersKey });
        }
      }
    } catch (error) {
      setProblem(error);
    } finally {
      setBusy(false);
    }
  };
  const shown = done ?? checked;
  const result = shown?.ok ? (shown.body as unknown as ImportResult) : null;

  return (
    <Stack gap={8} data-testid="payments-import">
      <Text size="xs" c="dimmed">
        {t('payments.importer.lead')}
      </Text>
      <Group gap={6} align="flex-end">
        <NativeSelect
          label={t('payments.importer.kind')}
          value={kind}
          onChange={(e) => {
            setKind(e.currentTarget.value as ImportKind);
            resetAnswers();
          }}
          data={IMPORT_KINDS.map((k) => ({ value: k, label: t(`payments.importer.kinds.${k}`) }))}
          w={240}
          data-testid="payments-import-kind"
        />
        <FileInput
          label={t('payments.importer.file')}
          accept={kind === 'zengin' ? '.txt,.dat,.csv,text/plain,application/octet-stream' : '.csv,text/csv,.txt'}
          value={file}
          onChange={(f) => {
            setFile(f);
            resetAnswers();
          }}
          leftSection={<IconFileImport size={14} />}
          clearable
          w={320}
          data-testid="payments-import-file"
        />
        <Button
          variant="default"
          leftSection={<IconUpload size={14} />}
          onClick={() => void run(true)}
          disabled={!file}
          loading={busy && !checked}
          data-testid="payments-import-dryrun"
        >
          {t('payments.importer.check')}
        </Button>
        <FnButton
          fkey="F1"
          onClick={() => void run(false)}
          disabled={!file || !checked?.ok || Boolean(done?.ok)}
          loading={busy && Boolean(checked)}
          testid="payments-import-commit"
        >
          {t('payments.importer.commit')}
        </FnButton>
      </Group>
      {kind === 'zengin' ? (
        <Text size="xs" c="dimmed">
          {t('payments.importer.zenginHint')}
        </Text>
      ) : (
        <Paper withBorder p={6}>
          <Text size="xs" c="dimmed" mb={4}>
            {t('payments.importer.columnsHint')}
          </Text>
          <Group gap={6}>
            {COLUMNS_OF[kind].map((c) => (
              <TextInput
                key={c}
                size="xs"
                w={130}
                label={t(`payments.columns.${c}`)}
                placeholder={t('payments.importer.auto')}
                value={columns[c] ?? ''}
                maxLength={50}
                onChange={(e) => {
                  const value = e.currentTarget.value;
                  setColumns((s) => ({ ...s, [c]: value }));
                  resetAnswers();
                }}
                data-testid={`payments-import-col-${c}`}
              />
            ))}
          </Group>
        </Paper>
      )}
      <FormAlert error={problem} testid="payments-import-error" />
      {shown && !shown.ok ? (
        <>
          <Alert color="red" p="xs" title={shown.title ?? t('payments.importer.refused')}>
            {t('payments.importer.nothingWritten')}
          </Alert>
          <ImportErrorsTable errors={shown.errors} testid="payments-import-errors" />
        </>
      ) : null}
      {result && shown ? <ImportResultView result={result} dryRun={!done} /> : null}
    </Stack>
  );
}
