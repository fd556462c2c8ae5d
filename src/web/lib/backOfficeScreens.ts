import {
  IconAd2,
  IconArrowBackUp,
  IconBuildingWarehouse,
  IconCalendarTime,
  IconCash,
  IconCategory,
  IconChartHistogram,
  IconClipboardCheck,
  IconCoinYen,
  IconCopy,
  IconCrown,
  IconFileExport,
  IconFileImport,
  IconGift,
  IconMessageReply,
  IconPackage,
  IconPackageImport,
  IconReceipt,
  IconTags,
  IconTruck,
  IconTruckDelivery,
  IconUsersGroup,
} from '@tabler/icons-react';
import type { Role } from '../api/types';
import type { Screen } from './screens';

const ADMIN: readonly Role[] = ['admin'];
const STAFF: readonly Role[] = ['admin', 'supervisor'];

export type BackOfficeScreenId =
  | 'shippingExport'
  | 'trackingImport'
  | 'shippingList'
  | 'payments'
  | 'returns'
  | 'salesReports'
  | 'duplicates'
  | 'customerImport'
  | 'mProducts'
  | 'mCategories'
  | 'mCampaigns'
  | 'mAdMedia'
  | 'mPaymentMethods'
  | 'mOrigins'
  | 'mCarriers'
  | 'mShippingFees'
  | 'mLeadDays'
  | 'mReasons'
  | 'mRanks'
  | 'mKinds'
  | 'mTemplates'
  | 'mGroups';

export type BackOfficeScreenPath =
  | '/shipping/export'
  | '/shipping/tracking'
  | '/shipping/list'
  | '/payments'
  | '/returns'
  | '/sales-reports'
  | '/customers/duplicates'
  | '/customers/import'
  | '/masters/products'
  | '/masters/categories'
  | '/masters/campaigns'
  | '/masters/ad-media'
  | '/masters/payment-methods'
  | '/masters/origins'
  | '/masters/carriers'
  | '/masters/shipping-fees'
  | '/masters/lead-days'
  | '/masters/reasons'
  | '/masters/ranks'
  | '/masters/interaction-kinds'
  | '/masters/templates'
  | '/masters/escalation-groups';

type Entry = Screen & { id: BackOfficeScreenId; to: BackOfficeScreenPath };

/** Back-office work (shipping, payments, reports, customer data care) and the masters, in nav order. */
export const BACK_OFFICE_SCREENS: readonly Entry[] = [
  {
    id: 'shippingExport',
    to: '/shipping/export',
    group: 'groupBackOffice',
    roles: STAFF,
    icon: IconFileExport,
    keywords: ['送り状', 'okurijou', 'B2', 'ヤマト', '佐川', 'ゆうプリ', 'shipping export'],
  },
  {
    id: 'trackingImport',
    to: '/shipping/tracking',
    group: 'groupBackOffice',
    roles: STAFF,
    icon: IconPackageImport,
    keywords: ['問合せ番号', '伝票番号', 'tracking', 'toiawase'],
  },
  {
    id: 'shippingList',
    to: '/shipping/list',
    group: 'groupBackOffice',
    roles: STAFF,
    icon: IconClipboardCheck,
    keywords: ['出荷確認', 'shukka', 'shipping list', '納品書', '請求書', 'invoice'],
  },
  {
    id: 'payments',
    to: '/payments',
    group: 'groupBackOffice',
    roles: STAFF,
    icon: IconCash,
    keywords: ['入金', 'nyuukin', 'payments', '消込', '未入金', '督促'],
  },
  {
    id: 'returns',
    to: '/returns',
    group: 'groupBackOffice',
    roles: STAFF,
    icon: IconArrowBackUp,
    keywords: ['返品', 'henpin', 'returns'],
  },
  {
    id: 'salesReports',
    to: '/sales-reports',
    group: 'groupBackOffice',
    roles: STAFF,
    icon: IconChartHistogram,
    keywords: ['集計', '売上', 'report', 'shuukei', 'CPO', 'ROAS', '粗利'],
  },
  {
    id: 'duplicates',
    to: '/customers/duplicates',
    group: 'groupBackOffice',
    roles: STAFF,
    icon: IconCopy,
    keywords: ['重複', 'duplicate', 'merge', '統合', 'chouhuku'],
  },
  {
    id: 'customerImport',
    to: '/customers/import',
    group: 'groupBackOffice',
    roles: STAFF,
    icon: IconFileImport,
    keywords: ['取込', 'import', 'CSV', '顧客取込', 'torikomi'],
  },
  {
    id: 'mProducts',
    to: '/masters/products',
    group: 'groupMasters',
    roles: STAFF,
    icon: IconPackage,
    keywords: ['商品', 'shouhin', 'products', 'セット', '在庫'],
  },
  {
    id: 'mCategories',
    to: '/masters/categories',
    group: 'groupMasters',
    roles: STAFF,
    icon: IconCategory,
    keywords: ['商品分類', 'category', 'bunrui'],
  },
  {
    id: 'mCampaigns',
    to: '/masters/campaigns',
    group: 'groupMasters',
    roles: STAFF,
    icon: IconGift,
    keywords: ['キャンペーン', 'campaign', 'プレゼント', '割引'],
  },
  {
    id: 'mAdMedia',
    to: '/masters/ad-media',
    group: 'groupMasters',
    roles: STAFF,
    icon: IconAd2,
    keywords: ['広告', 'koukoku', 'ad', '媒体'],
  },
  {
    id: 'mPaymentMethods',
    to: '/masters/payment-methods',
    group: 'groupMasters',
    roles: ADMIN,
    icon: IconCoinYen,
    keywords: ['支払方法', '代引', 'payment', '手数料'],
  },
  {
    id: 'mOrigins',
    to: '/masters/origins',
    group: 'groupMasters',
    roles: ADMIN,
    icon: IconBuildingWarehouse,
    keywords: ['発送元', 'origin', '倉庫'],
  },
  {
    id: 'mCarriers',
    to: '/masters/carriers',
    group: 'groupMasters',
    roles: ADMIN,
    icon: IconTruck,
    keywords: ['運送会社', 'carrier', '配達時間帯', 'ヤマト', '佐川', '日本郵便'],
  },
  {
    id: 'mShippingFees',
    to: '/masters/shipping-fees',
    group: 'groupMasters',
    roles: ADMIN,
    icon: IconTruckDelivery,
    keywords: ['送料', 'souryou', 'shipping fee'],
  },
  {
    id: 'mLeadDays',
    to: '/masters/lead-days',
    group: 'groupMasters',
    roles: ADMIN,
    icon: IconCalendarTime,
    keywords: ['リードタイム', 'お届け', 'lead'],
  },
  {
    id: 'mReasons',
    to: '/masters/reasons',
    group: 'groupMasters',
    roles: STAFF,
    icon: IconReceipt,
    keywords: ['理由', '解約', '返品理由', 'reason'],
  },
  {
    id: 'mRanks',
    to: '/masters/ranks',
    group: 'groupMasters',
    roles: STAFF,
    icon: IconCrown,
    keywords: ['ランク', 'rank', 'ゴールド', 'プラチナ'],
  },
  {
    id: 'mKinds',
    to: '/masters/interaction-kinds',
    group: 'groupMasters',
    roles: STAFF,
    icon: IconTags,
    keywords: ['区分', 'kind', '対応区分'],
  },
  {
    id: 'mTemplates',
    to: '/masters/templates',
    group: 'groupMasters',
    roles: STAFF,
    icon: IconMessageReply,
    keywords: ['テンプレート', 'template', 'トーク', '返信'],
  },
  {
    id: 'mGroups',
    to: '/masters/escalation-groups',
    group: 'groupMasters',
    roles: STAFF,
    icon: IconUsersGroup,
    keywords: ['エスカレーション', 'グループ', 'group'],
  },
];
