// The pieces the CSV import screens share (顧客CSV取込, Web受注取込): the file with its detected
// encoding, the mapping presets bar and table, the dry run / import buttons and the answer with
// every bad row. Each screen keeps its own mapping model and upload.
import { Badge, Button, FileInput, Group, Paper, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { IconDeviceFloppy, IconFileImport, IconTrash, IconUpload } from '@tabler/icons-react';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ImportAnswer } from '../../api/upload';
import { decodeFile, parseCsv } from '../../lib/csv';
import { FnButton } from '../fkeys';
import { ImportErrorsTable, ImportSummary } from '../master/CsvImport';

/** A CSV file's rows (blank lines dropped) and the encoding it was read in (UTF-8 or Shift_JIS). */
export async function readCsvFile(file: File): Promise<{ rows: string[][]; encoding: string }> {
  const { text, encoding } = decodeFile(await file.arrayBuffer());
  const rows = parseCsv(text).filter((row) => row.some((cell) => cell.trim() !== ''));
  return { rows, encoding };
}

/**
 * A dry run, then the import: `upload` (null while there is nothing to send) posts the file;
 * `onImported` runs after an import that was applied. Failures land in `problem`.
 */
export function useImportRun(
  upload: ((dryRun: boolean) => Promise<ImportAnswer>) | null,
  onImported: (answer: ImportAnswer) => Promise<void>,
) {
  const [checked, setChecked] = useState<ImportAnswer | null>(null);
  const [done, setDone] = useState<ImportAnswer | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<unknown>(null);
  const reset = () => {
    setChecked(null);
    setDone(null);
    setProblem(null);
  };
  const run = async (dryRun: boolean) => {
    if (!upload) return;
    setBusy(true);
    setProblem(null);
    try {
      const answer = await upload(dryRun);
      if (dryRun) setChecked(answer);
      else {
        setDone(answer);
        if (answer.ok) await onImported(answer);
      }
    } catch (error) {
      setProblem(error);
    } finally {
      setBusy(false);
    }
  };
  return { checked, setChecked, done, busy, problem, setProblem, reset, run, shown: done ?? checked };
}

/** The file input, and once read, the encoding and row count it was read with. */
export function CsvFilePicker({
  label,
  description,
  file,
  onChange,
  detected,
  testid,
}: {
  label: string;
  description?: string;
  file: File | null;
  onChange: (file: File | null) => void;
  /** The "read as … , n rows" line (null before a file is read). */
  detected: string | null;
  /** `<testid>-file`, `<testid>-detected`. */
  testid: string;
}) {
  return (
    <Group align="flex-end" gap="xs">
      <FileInput
        label={label}
        description={description}
        accept=".csv,text/csv,.txt"
        value={file}
        onChange={onChange}
        leftSection={<IconFileImport size={14} />}
        clearable
        w={360}
        data-testid={`${testid}-file`}
      />
      {detected !== null ? (
        <Text size="xs" c="dimmed" mb={6} data-testid={`${testid}-detected`}>
          {detected}
        </Text>
      ) : null}
    </Group>
  );
}

/** The encoding name shown for a decoded file. */
export const encodingLabel = (encoding: string) => (encoding === 'sjis' ? 'Shift_JIS' : 'UTF-8');

/** The mapping's title with the presets: pick one, name one, save it, delete it. */
export function PresetBar({
  title,
  labels,
  names,
  value,
  onPick,
  clearable,
  name,
  onName,
  onSave,
  saveDisabled,
  onDelete,
  deleteDisabled,
  testid,
}: {
  title: string;
  labels: { preset: string; presetName: string; save: string; delete: string };
  names: string[];
  value: string | null;
  onPick: (name: string | null) => void;
  clearable?: boolean;
  name: string;
  onName: (name: string) => void;
  onSave: () => void;
  saveDisabled: boolean;
  onDelete: () => void;
  deleteDisabled: boolean;
  /** `<testid>-preset`, `-preset-name`, `-preset-save`, `-preset-delete`. */
  testid: string;
}) {
  return (
    <Group justify="space-between" mb={6} align="flex-end">
      <Title order={2}>{title}</Title>
      <Group gap={6} align="flex-end">
        <Select
          label={labels.preset}
          data={names}
          value={value}
          onChange={onPick}
          clearable={clearable}
          w={180}
          data-testid={`${testid}-preset`}
        />
        <TextInput
          label={labels.presetName}
          value={name}
          onChange={(e) => onName(e.currentTarget.value)}
          w={180}
          data-testid={`${testid}-preset-name`}
        />
        <Button
          variant="default"
          leftSection={<IconDeviceFloppy size={14} />}
          onClick={onSave}
          disabled={saveDisabled}
          data-testid={`${testid}-preset-save`}
        >
          {labels.save}
        </Button>
        <Button
          variant="subtle"
          color="red"
          leftSection={<IconTrash size={14} />}
          onClick={onDelete}
          disabled={deleteDisabled}
          data-testid={`${testid}-preset-delete`}
        >
          {labels.delete}
        </Button>
      </Group>
    </Group>
  );
}

/** The mapping table: one row per field (or per source column) with its picker and a sample. */
export function MappingTable({
  headers,
  widths,
  testid,
  children,
}: {
  headers: [string, string, string];
  widths: [number, number];
  testid: string;
  children: ReactNode;
}) {
  return (
    <Table data-testid={testid}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th w={widths[0]}>{headers[0]}</Table.Th>
          <Table.Th w={widths[1]}>{headers[1]}</Table.Th>
          <Table.Th>{headers[2]}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>{children}</Table.Tbody>
    </Table>
  );
}

/** A mapping row: what it maps, the picker, the file's sample values. */
export function MappingRow({ label, control, sample }: { label: ReactNode; control: ReactNode; sample: string }) {
  return (
    <Table.Tr>
      <Table.Td className="nowrap">{label}</Table.Td>
      <Table.Td>{control}</Table.Td>
      <Table.Td>
        <Text size="xs" c="dimmed" lineClamp={1}>
          {sample}
        </Text>
      </Table.Td>
    </Table.Tr>
  );
}

/** The answer of a dry run or an import: counts, "nothing applied" when refused, every bad row. */
export function ImportOutcome({
  answer,
  testid,
  counts,
  children,
}: {
  answer: ImportAnswer;
  /** `<testid>-summary`, `<testid>-errors`. */
  testid: string;
  /** Shown under the summary. */
  counts?: ReactNode;
  /** Shown under the errors. */
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="sm">
      <Stack gap={6}>
        <ImportSummary answer={answer} testid={`${testid}-summary`} />
        {counts}
        {!answer.ok ? (
          <Badge color="red" variant="light">
            {t('master.csv.nothingApplied')}
          </Badge>
        ) : null}
        <ImportErrorsTable errors={answer.errors} testid={`${testid}-errors`} />
        {children}
      </Stack>
    </Paper>
  );
}

/** 検証 (dry run; F4 when `dryRunKey` is set) and 取込 (F1, once a dry run passed and until it is done). */
export function ImportButtons({
  run,
  ready,
  busy,
  checked,
  done,
  dryRunKey,
  testid,
  leading,
}: {
  run: (dryRun: boolean) => Promise<void>;
  ready: boolean;
  busy: boolean;
  checked: ImportAnswer | null;
  done: ImportAnswer | null;
  dryRunKey?: 'F4';
  /** `<testid>-dryrun`, `<testid>-commit`. */
  testid: string;
  /** Before the two buttons (a dialog's 閉じる/キャンセル). */
  leading?: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <Group justify="flex-end" gap={6}>
      {leading}
      {dryRunKey ? (
        <FnButton
          fkey={dryRunKey}
          variant="default"
          onClick={() => void run(true)}
          disabled={!ready}
          loading={busy && !checked}
          testid={`${testid}-dryrun`}
        >
          {t('master.csv.dryRun')}
        </FnButton>
      ) : (
        <Button
          variant="default"
          leftSection={<IconUpload size={14} />}
          onClick={() => void run(true)}
          disabled={!ready}
          loading={busy && !checked}
          data-testid={`${testid}-dryrun`}
        >
          {t('master.csv.dryRun')}
        </Button>
      )}
      <FnButton
        fkey="F1"
        onClick={() => void run(false)}
        disabled={!ready || !checked?.ok || Boolean(done?.ok)}
        loading={busy && Boolean(checked)}
        testid={`${testid}-commit`}
      >
        {t('master.csv.commit')}
      </FnButton>
    </Group>
  );
}
