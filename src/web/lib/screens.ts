import {
  type Icon,
  IconCalendarCog,
  IconHome,
  IconKey,
  IconListCheck,
  IconShieldSearch,
  IconUserCircle,
  IconUsers,
} from '@tabler/icons-react';
import type { Me, Role } from '../api/types';

export type ScreenId = 'home' | 'account' | 'users' | 'tokens' | 'audit' | 'settings' | 'jobs';
export type ScreenGroup = 'groupMain' | 'groupAdmin';
export type ScreenPath =
  | '/'
  | '/account'
  | '/admin/users'
  | '/admin/tokens'
  | '/admin/audit'
  | '/admin/settings'
  | '/admin/jobs';

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
];

export function canSee(screen: Screen, role: Role): boolean {
  return !screen.roles || screen.roles.includes(role);
}

export function screensFor(me: Pick<Me, 'role'>): Screen[] {
  return SCREENS.filter((screen) => canSee(screen, me.role));
}
