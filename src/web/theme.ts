import {
  ActionIcon,
  Badge,
  Button,
  Checkbox,
  createTheme,
  Menu,
  Modal,
  NativeSelect,
  PasswordInput,
  SegmentedControl,
  Select,
  Table,
  Tabs,
  Textarea,
  TextInput,
} from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';

const FONT =
  'system-ui, -apple-system, "Segoe UI", "Hiragino Sans", "Hiragino Kaku Gothic ProN", "Noto Sans JP", "Noto Sans CJK JP", "Yu Gothic UI", Meiryo, sans-serif';

/** Dense defaults for screens used eight hours a day: small controls, compact tables. */
export const theme = createTheme({
  fontFamily: FONT,
  headings: {
    fontFamily: FONT,
    sizes: { h1: { fontSize: '1.25rem' }, h2: { fontSize: '1.05rem' }, h3: { fontSize: '0.95rem' } },
  },
  fontFamilyMonospace: 'ui-monospace, "SFMono-Regular", Menlo, Consolas, "Noto Sans Mono CJK JP", monospace',
  primaryColor: 'indigo',
  defaultRadius: 'xs',
  fontSizes: { xs: '0.75rem', sm: '0.8125rem', md: '0.875rem', lg: '1rem', xl: '1.125rem' },
  components: {
    Button: Button.extend({ defaultProps: { size: 'xs' } }),
    ActionIcon: ActionIcon.extend({ defaultProps: { size: 'sm', variant: 'subtle' } }),
    TextInput: TextInput.extend({ defaultProps: { size: 'xs' } }),
    PasswordInput: PasswordInput.extend({ defaultProps: { size: 'xs' } }),
    Textarea: Textarea.extend({ defaultProps: { size: 'xs' } }),
    Select: Select.extend({ defaultProps: { size: 'xs', allowDeselect: false } }),
    NativeSelect: NativeSelect.extend({ defaultProps: { size: 'xs' } }),
    Checkbox: Checkbox.extend({ defaultProps: { size: 'xs' } }),
    SegmentedControl: SegmentedControl.extend({ defaultProps: { size: 'xs' } }),
    DatePickerInput: DatePickerInput.extend({ defaultProps: { size: 'xs', valueFormat: 'YYYY/MM/DD' } }),
    Badge: Badge.extend({ defaultProps: { size: 'sm', radius: 'xs', variant: 'light' } }),
    Tabs: Tabs.extend({ defaultProps: { keepMounted: false } }),
    Menu: Menu.extend({ defaultProps: { shadow: 'md', position: 'bottom-end' } }),
    Modal: Modal.extend({ defaultProps: { size: 'md', centered: false, yOffset: '8vh' } }),
    Table: Table.extend({
      defaultProps: {
        fz: 'xs',
        verticalSpacing: 4,
        horizontalSpacing: 'xs',
        striped: true,
        highlightOnHover: true,
        withTableBorder: true,
        stickyHeader: true,
      },
    }),
  },
});
