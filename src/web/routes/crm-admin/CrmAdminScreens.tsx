import { MasterPage } from '../../components/master/MasterPage';
import { useGroupsConfig, useKindsConfig, useRanksConfig, useTemplatesConfig } from './configs';

export const RanksPage = () => <MasterPage config={useRanksConfig()} />;
export const KindsPage = () => <MasterPage config={useKindsConfig()} />;
export const TemplatesPage = () => <MasterPage config={useTemplatesConfig()} />;
export const GroupsPage = () => <MasterPage config={useGroupsConfig()} />;
