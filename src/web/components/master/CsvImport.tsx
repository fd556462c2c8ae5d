import { Alert, Badge, Button, FileInput, Group, Modal, ScrollArea, Stack, Table, Text } from '@mantine/core';
import { IconDownload, IconFileImport } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { buildUrl } from '../../api/client';
import { type ImportAnswer, type ImportRowError, uploadFile } from '../../api/upload';
import { notifySuccess } from '../../lib/notify';
import { ImportButtons } from '../csv-import/csvImport';
import { FormAlert } from '../FormAlert';

/** Every bad row of an import, as the server listed them (row as Excel numbers it). */
export function ImportErrorsTable({ errors, testid }: { errors: ImportRowError[]; testid: string }) {
  const { t } = useTranslation();
  if (errors.length === 0) return null;
  return (
    <ScrollArea.Autosize mah={320}>
      <Table data-testid={testid}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={60} className="num">
              {t('master.csv.row')}
            </Table.Th>
            <Table.Th w={140}>{t('master.csv.column')}</Table.Th>
            <Table.Th>{t('master.csv.problem')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {errors.map((e, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: a row may have several problems; the list is never reordered
            <Table.Tr key={i}>
              <Table.Td className="num">{e.row || '—'}</Table.Td>
              <Table.Td className="mono">{e.column ?? ''}</Table.Td>
              <Table.Td>{e.message}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollArea.Autosize>
  );
}

/** Counts of a dry run or an import: rows read, valid, applied. */
export function ImportSummary({ answer, testid }: { answer: ImportAnswer; testid: string }) {
  const { t } = useTranslation();
  const num = (key: string) => (typeof answer.body[key] === 'number' ? (answer.body[key] as number) : undefined);
  const valid = num('valid');
  const imported = num('imported') ?? num('applied') ?? num('matched');
  return (
    <Group gap={6} data-testid={testid}>
      <Badge color={answer.ok ? 'teal' : 'red'} variant="filled">
        {answer.ok ? t('master.csv.ok') : t('master.csv.refused')}
      </Badge>
      <Text size="xs">{t('master.csv.rows', { count: answer.rows })}</Text>
      {valid !== undefined ? <Text size="xs">{t('master.csv.valid', { count: valid })}</Text> : null}
      {imported !== undefined ? <Text size="xs">{t('master.csv.imported', { count: imported })}</Text> : null}
      {answer.errors.length > 0 ? (
        <Text size="xs" c="red.8" fw={700}>
          {t('master.csv.errors', { count: answer.errors.length })}
        </Text>
      ) : null}
    </Group>
  );
}

/**
 * CSV import in two steps: a dry run lists every bad row (nothing applied), then the import
 * applies all rows in one transaction or none. UTF-8, UTF-8 with BOM and Shift_JIS are detected
 * by the server.
 */
export function CsvImportModal({
  opened,
  onClose,
  path,
  title,
  testid,
  onImported,
  hint,
  query = {},
}: {
  opened: boolean;
  onClose: () => void;
  path: string;
  /** Extra query parameters of the upload (a statement's format). */
  query?: Record<string, string>;
  title: string;
  testid: string;
  onImported: () => void;
  hint?: string;
}) {
  const { t } = useTranslation();
  const [file, setFile] = useState<File | null>(null);
  const [checked, setChecked] = useState<ImportAnswer | null>(null);
  const [done, setDone] = useState<ImportAnswer | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<unknown>(null);

  const reset = () => {
    setFile(null);
    setChecked(null);
    setDone(null);
    setProblem(null);
  };
  const close = () => {
    reset();
    onClose();
  };
  const run = async (dryRun: boolean) => {
    if (!file) return;
    setBusy(true);
    setProblem(null);
    try {
      const answer = await uploadFile(path, file, dryRun ? { ...query, dryRun: 'true' } : query);
      if (dryRun) setChecked(answer);
      else {
        setDone(answer);
        if (answer.ok) {
          notifySuccess(t('master.csv.importedToast', { count: answer.rows }));
          onImported();
        }
      }
    } catch (error) {
      setProblem(error);
    } finally {
      setBusy(false);
    }
  };
  const shown = done ?? checked;

  return (
    <Modal opened={opened} onClose={close} title={title} size="xl">
      <Stack gap={8} data-testid={testid}>
        <Text size="xs" c="dimmed">
          {hint ?? t('master.csv.lead')}
        </Text>
        <FileInput
          label={t('master.csv.file')}
          accept=".csv,text/csv,.txt"
          value={file}
          onChange={(f) => {
            setFile(f);
            setChecked(null);
            setDone(null);
          }}
          leftSection={<IconFileImport size={14} />}
          clearable
          data-testid={`${testid}-file`}
        />
        <FormAlert error={problem} testid={`${testid}-error`} />
        {shown ? (
          <>
            <ImportSummary answer={shown} testid={`${testid}-summary`} />
            {shown.title && !shown.ok ? (
              <Alert color="red" p="xs" title={shown.title}>
                {t('master.csv.nothingApplied')}
              </Alert>
            ) : null}
            <ImportErrorsTable errors={shown.errors} testid={`${testid}-errors`} />
          </>
        ) : null}
        <ImportButtons
          run={run}
          ready={Boolean(file)}
          busy={busy}
          checked={checked}
          done={done}
          testid={testid}
          leading={
            <Button variant="default" onClick={close}>
              {done?.ok ? t('master.close') : t('common.cancel')}
            </Button>
          }
        />
      </Stack>
    </Modal>
  );
}

/** CSV for Excel: UTF-8 with BOM and Shift_JIS (plain links; the browser downloads). */
export function CsvExportButtons({
  path,
  query = {},
  testid,
}: {
  path: string;
  query?: Record<string, string | number | undefined>;
  testid: string;
}) {
  const { t } = useTranslation();
  return (
    <>
      <Button
        component="a"
        href={buildUrl(path, { ...query, encoding: 'sjis' })}
        variant="default"
        leftSection={<IconDownload size={14} />}
        data-testid={`${testid}-sjis`}
      >
        {t('master.csv.exportSjis')}
      </Button>
      <Button
        component="a"
        href={buildUrl(path, { ...query, encoding: 'utf8bom' })}
        variant="default"
        leftSection={<IconDownload size={14} />}
        data-testid={`${testid}-utf8`}
      >
        {t('master.csv.exportUtf8')}
      </Button>
    </>
  );
}
