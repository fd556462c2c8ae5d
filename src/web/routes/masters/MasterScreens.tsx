import { MasterPage } from '../../components/master/MasterPage';
import { useAdMediaConfig } from './adMedia';
import { useCampaignsConfig } from './campaigns';
import { useCategoriesConfig } from './categories';
import { useLeadDaysConfig } from './leadDays';
import { useOriginsConfig } from './origins';
import { usePaymentMethodsConfig } from './paymentMethods';
import { useProductsConfig } from './products';
import { useReasonsConfig } from './reasons';
import { useShippingFeesConfig } from './shippingFees';

/** One screen per master, each the shared MasterPage with the master's description. */
export const ProductsPage = () => <MasterPage config={useProductsConfig()} />;
export const CategoriesPage = () => <MasterPage config={useCategoriesConfig()} />;
export const AdMediaPage = () => <MasterPage config={useAdMediaConfig()} />;
export const OriginsPage = () => <MasterPage config={useOriginsConfig()} />;
export const ShippingFeesPage = () => <MasterPage config={useShippingFeesConfig()} />;
export const LeadDaysPage = () => <MasterPage config={useLeadDaysConfig()} />;
export const PaymentMethodsPage = () => <MasterPage config={usePaymentMethodsConfig()} />;
export const CampaignsPage = () => <MasterPage config={useCampaignsConfig()} />;
export const ReasonsPage = () => <MasterPage config={useReasonsConfig()} />;
