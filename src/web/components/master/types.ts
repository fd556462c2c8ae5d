import type { ReactNode } from 'react';

/** A choice of a select field; label already translated. */
export interface Option {
  value: string;
  label: string;
}

/** Another master a field points to (a product, an ad medium …), searched on the server by `q`. */
export interface RefSource {
  /** List path, e.g. /products (answers { items, nextCursor? }). */
  path: string;
  /** Search parameter name (default q); null: no server search, the first 500 are listed. */
  searchParam?: string | null;
  /** Extra query, e.g. { active: 'true' }. */
  query?: Record<string, string>;
  label: (item: Record<string, unknown>) => string;
  value?: (item: Record<string, unknown>) => string;
}

interface FieldBase {
  /** Key in the form values and in the server's field paths (body.<name>). */
  name: string;
  /** Translated label. */
  label: string;
  description?: string;
  required?: boolean;
  /** Grid columns out of 12 (default 6). */
  span?: number;
  /** Shown only when this returns true for the current values. */
  visible?: (values: FormValues) => boolean;
  /** Not editable once the record exists (its code). */
  createOnly?: boolean;
}

export type FieldDef =
  | (FieldBase & { kind: 'text' | 'textarea' | 'date' | 'color'; maxLength?: number; placeholder?: string })
  | (FieldBase & { kind: 'int' | 'yen'; min?: number; max?: number; suffix?: string })
  | (FieldBase & { kind: 'select'; options: Option[]; clearable?: boolean })
  | (FieldBase & { kind: 'multiselect'; options: Option[] })
  | (FieldBase & { kind: 'bool' })
  | (FieldBase & { kind: 'ref'; ref: RefSource; clearable?: boolean })
  /** A list of rows with their own fields (set contents, fee brackets, monthly costs …). */
  | (FieldBase & { kind: 'rows'; fields: FieldDef[]; addLabel: string; maxRows?: number });

export type FormValues = Record<string, unknown>;

export interface ColumnDef<T> {
  key: string;
  label: string;
  width?: number;
  align?: 'left' | 'right' | 'center';
  mono?: boolean;
  render: (item: T) => ReactNode;
}

export interface FilterDef {
  name: string;
  label: string;
  options: Option[];
}

/**
 * One master: where it lives on the server and how it is shown and edited. The list, the search
 * box, the "more" button, the edit dialog, the CSV buttons and the import dialog come from
 * MasterPage; a master only describes itself.
 */
export interface MasterConfig<T> {
  /** Stable id for test ids and query keys: "products", "ad-media" … */
  id: string;
  title: string;
  /** Collection path, e.g. /products. */
  path: string;
  idOf: (item: T) => string;
  /** Name shown in the dialog title and the delete confirmation. */
  nameOf: (item: T) => string;
  columns: ColumnDef<T>[];
  fields: FieldDef[];
  /** Form values of a record (null: a new one). */
  toValues: (item: T | null) => FormValues;
  /** Body of POST (create) / PATCH (update) from the form values. */
  toBody: (values: FormValues, item: T | null) => unknown;
  /** Server search by ?q= (false: the list is filtered here). */
  search?: 'server' | 'local' | false;
  searchPlaceholder?: string;
  /** Local search text of a record (search: 'local'). */
  searchText?: (item: T) => string;
  filters?: FilterDef[];
  /** The list answers keyset pages ({ items, nextCursor }); false: one { items } answer. */
  paged?: boolean;
  /** If-Match from the record's version (PATCH). */
  version?: (item: T) => number | undefined;
  /** Update with PUT instead of PATCH (records keyed by their natural key). */
  updateMethod?: 'PATCH' | 'PUT';
  /** The record's own path (default `${path}/${id}`). */
  itemPath?: (item: T) => string;
  /** Path to POST a new record (default path). */
  createPath?: string;
  canCreate?: boolean;
  canDelete?: boolean;
  /** CSV export (GET ?encoding=sjis|utf8bom) and import (POST text/csv ?dryRun=true). */
  csv?: { exportPath?: string; importPath?: string; templateColumns?: string[] };
  /** Modal width. */
  size?: string;
  /** Read the full record before editing (lists may carry only a summary). */
  loadOne?: boolean;
  /** Extra part under the form for an existing record (e.g. stock adjustments). */
  extra?: (item: T, refresh: () => void) => ReactNode;
  /** Buttons beside the page title (e.g. recompute). */
  headerExtra?: ReactNode;
  /** A note under the title. */
  lead?: string;
}
