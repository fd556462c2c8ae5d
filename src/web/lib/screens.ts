import {
  type Icon,
  IconAddressBook,
  IconAlertTriangle,
  IconBook2,
  IconCalendarCog,
  IconCalendarRepeat,
  IconChartArrows,
  IconChartBar,
  IconChartLine,
  IconClipboardList,
  IconFileImport,
  IconHome,
  IconHourglassLow,
  IconKey,
  IconLayoutKanban,
  IconListCheck,
  IconListDetails,
  IconPhoneCall,
  IconShieldSearch,
  IconShoppingCart,
  IconUserCircle,
  IconUserPlus,
  IconUsers,
} from '@tabler/icons-react';
import type { Me, Role } from '../api/types';
import { BACK_OFFICE_SCREENS, type BackOfficeScreenId, type BackOfficeScreenPath } from './backOfficeScreens';

export type ScreenId =
  | 'home'
  | 'account'
  | 'customers'
  | 'newCustomer'
  | 'orders'
  | 'orderImport'
  | 'todayList'
  | 'neglected'
  | 'subscriptionShipments'
  | 'subscriptionForecast'
  | 'subscriptionExceptions'
  | 'cases'
  | 'openCases'
  | 'faq'
  | 'faqReport'
  | 'users'
  | 'tokens'
  | 'audit'
  | 'settings'
  | 'jobs'
  | 'integrations'
  | 'subscriptionReports'
  | BackOfficeScreenId;
export type ScreenGroup = 'groupMain' | 'groupDesk' | 'groupAdmin' | 'groupBackOffice' | 'groupMasters';
export type ScreenPath =
  | '/'
  | '/account'
  | '/customers'
  | '/customers/new'
  | '/orders'
  | '/orders/import'
  | '/lists/today'
  | '/lists/neglected'
  | '/subscription-shipments'
  | '/subscription-shipments/forecast'
  | '/subscription-shipments/exceptions'
  | '/cases'
  | '/cases/list'
  | '/faq'
  | '/faq/report'
  | '/admin/users'
  | '/admin/tokens'
  | '/admin/audit'
  | '/admin/settings'
  | '/admin/jobs'
  | '/admin/integrations'
  | '/subscription-reports'
  | BackOfficeScreenPath;

export interface Screen {
  id: ScreenId;
  to: ScreenPath;
  group: ScreenGroup;
  /** Roles allowed; undefined = every signed-in user. */
  roles?: readonly Role[];
  icon: Icon;
  /** Extra words for the command palette (both languages, romaji). */
  keywords: string[];
}

const ADMIN: readonly Role[] = ['admin'];
const STAFF: readonly Role[] = ['admin', 'supervisor'];
/** The inbound desk: works with customers and interactions. */
export const DESK: readonly Role[] = ['admin', 'supervisor', 'operator'];
/** Everyone cases go to (the desk and the people they are escalated to); also the FAQ's readers. */
export const CASE_ROLES: readonly Role[] = [...DESK, 'appointer', 'closer', 'corporate_closer', 'technician'];

/** Every screen of the app, in navigation order. Nav, home shortcuts and the palette read this. */
export const SCREENS: readonly Screen[] = [
  { id: 'home', to: '/', group: 'groupMain', icon: IconHome, keywords: ['home', 'hoomu', 'dashboard', 'ホーム'] },
  {
    id: 'account',
    to: '/account',
    group: 'groupMain',
    icon: IconUserCircle,
    keywords: ['account', 'password', 'totp', 'パスワード', '二要素'],
  },
  {
    id: 'customers',
    to: '/customers',
    group: 'groupDesk',
    roles: DESK,
    icon: IconAddressBook,
    keywords: ['customer', 'kokyaku', 'search', '顧客', '検索', 'モニター', 'monitor'],
  },
  {
    id: 'newCustomer',
    to: '/customers/new',
    group: 'groupDesk',
    roles: DESK,
    icon: IconUserPlus,
    keywords: ['new customer', 'shinki', '新規', '顧客登録'],
  },
  {
    id: 'orders',
    to: '/orders',
    group: 'groupDesk',
    roles: DESK,
    icon: IconShoppingCart,
    keywords: ['orders', 'juchuu', '受注', '受注一覧', '注文'],
  },
  {
    id: 'todayList',
    to: '/lists/today',
    group: 'groupDesk',
    roles: DESK,
    icon: IconListDetails,
    keywords: ['today', 'honjitsu', 'interactions', '本日', '対応一覧', '対応履歴'],
  },
  {
    id: 'neglected',
    to: '/lists/neglected',
    group: 'groupDesk',
    roles: DESK,
    icon: IconHourglassLow,
    keywords: ['neglected', 'houchi', '長期', '放置', '未対応'],
  },
  {
    id: 'subscriptionShipments',
    to: '/subscription-shipments',
    group: 'groupDesk',
    roles: DESK,
    icon: IconCalendarRepeat,
    keywords: ['定期', 'teiki', '定期発送', '発送一覧', 'subscription shipments', 'picking', 'ピッキング'],
  },
  {
    id: 'subscriptionForecast',
    to: '/subscription-shipments/forecast',
    group: 'groupDesk',
    roles: STAFF,
    icon: IconChartArrows,
    keywords: ['定期', 'teiki', '予測', '出荷予測', 'forecast', 'yosoku', '需要'],
  },
  {
    id: 'subscriptionExceptions',
    to: '/subscription-shipments/exceptions',
    group: 'groupDesk',
    roles: DESK,
    icon: IconAlertTriangle,
    keywords: ['定期', 'teiki', 'エラー', '生成', 'exceptions', 'errors', 'seisei'],
  },
  {
    id: 'cases',
    to: '/cases',
    group: 'groupDesk',
    roles: CASE_ROLES,
    icon: IconLayoutKanban,
    keywords: ['cases', 'board', 'anken', '案件', 'ステータス', 'エスカレーション'],
  },
  {
    id: 'openCases',
    to: '/cases/list',
    group: 'groupDesk',
    roles: CASE_ROLES,
    icon: IconClipboardList,
    keywords: ['open cases', 'anken', '案件一覧', '未完了'],
  },
  {
    id: 'faq',
    to: '/faq',
    group: 'groupDesk',
    roles: CASE_ROLES,
    icon: IconBook2,
    keywords: ['faq', 'knowledge', 'ナレッジ', 'よくある質問'],
  },
  {
    id: 'faqReport',
    to: '/faq/report',
    group: 'groupDesk',
    roles: STAFF,
    icon: IconChartBar,
    keywords: ['report', 'analysis', 'bunseki', '分析', '集計', '問い合わせ'],
  },
  {
    id: 'users',
    to: '/admin/users',
    group: 'groupAdmin',
    roles: ADMIN,
    icon: IconUsers,
    keywords: ['users', 'yuuzaa', 'ユーザー', 'ユーザ'],
  },
  {
    id: 'tokens',
    to: '/admin/tokens',
    group: 'groupAdmin',
    roles: ADMIN,
    icon: IconKey,
    keywords: ['api', 'token', 'トークン'],
  },
  {
    id: 'audit',
    to: '/admin/audit',
    group: 'groupAdmin',
    roles: ADMIN,
    icon: IconShieldSearch,
    keywords: ['audit', 'log', 'kansa', '監査', 'ログ'],
  },
  {
    id: 'settings',
    to: '/admin/settings',
    group: 'groupAdmin',
    roles: ADMIN,
    icon: IconCalendarCog,
    keywords: ['settings', 'closing', 'holiday', '休業日', '祝日', '設定'],
  },
  {
    id: 'jobs',
    to: '/admin/jobs',
    group: 'groupAdmin',
    roles: ADMIN,
    icon: IconListCheck,
    keywords: ['jobs', 'queue', 'cron', 'ジョブ'],
  },
  {
    id: 'integrations',
    to: '/admin/integrations',
    group: 'groupAdmin',
    roles: ADMIN,
    icon: IconPhoneCall,
    keywords: ['twilio', 'telephony', 'pbx', 'webhook', 'denwa', '電話連携', 'CTI'],
  },
  {
    id: 'orderImport',
    to: '/orders/import',
    group: 'groupBackOffice',
    roles: STAFF,
    icon: IconFileImport,
    keywords: ['web orders', 'EC', 'Web受注', '受注取込', 'torikomi', 'CSV'],
  },
  {
    id: 'subscriptionReports',
    to: '/subscription-reports',
    group: 'groupBackOffice',
    roles: STAFF,
    icon: IconChartLine,
    keywords: ['定期', '継続率', 'LTV', '解約', '離脱', 'teiki', 'subscription', 'retention', 'churn'],
  },
  ...BACK_OFFICE_SCREENS,
];

export function canSee(screen: Screen, role: Role): boolean {
  return !screen.roles || screen.roles.includes(role);
}

export function screensFor(me: Pick<Me, 'role'>): Screen[] {
  return SCREENS.filter((screen) => canSee(screen, me.role));
}
