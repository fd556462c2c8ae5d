export { FnButton } from './FnButton';
export { FnKeysProvider, useFnKey } from './FnKeys';
