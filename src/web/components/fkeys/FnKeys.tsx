import { createContext, type ReactNode, useContext, useEffect, useRef, useState } from 'react';
import { paletteStore } from '../palette/store';
import { ALWAYS_BLOCKED, type FnAction, type FnKey, FnKeyRegistry, isComposing, isFnKey } from './registry';

const FnKeysContext = createContext<FnKeyRegistry | null>(null);

function useRegistry(): FnKeyRegistry {
  const registry = useContext(FnKeysContext);
  if (!registry) throw new Error('FnKeysProvider is missing');
  return registry;
}

/** Listens for F1–F12 anywhere in the page, including inside inputs. */
export function FnKeysProvider({ children }: { children: ReactNode }) {
  const [registry] = useState(() => new FnKeyRegistry());

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (!isFnKey(event.key)) return;
      if (event.ctrlKey || event.altKey || event.metaKey || event.shiftKey) return;
      if (isComposing(event)) return;
      const action = paletteStore.getState().opened ? undefined : registry.find(event.key);
      if (action || ALWAYS_BLOCKED.has(event.key)) {
        event.preventDefault();
        event.stopPropagation();
      }
      if (action?.enabled && !event.repeat) action.run();
    };
    // F1 also opens help through this legacy event in some browsers.
    const onHelp = (event: Event) => event.preventDefault();
    window.addEventListener('keydown', onKeyDown, { capture: true });
    window.addEventListener('help', onHelp);
    return () => {
      window.removeEventListener('keydown', onKeyDown, { capture: true });
      window.removeEventListener('help', onHelp);
    };
  }, [registry]);

  return <FnKeysContext.Provider value={registry}>{children}</FnKeysContext.Provider>;
}

/**
 * Registers an action on a function key for as long as the calling component is mounted.
 * The handler may change on every render; the registration (and its priority) stays.
 */
export function useFnKey(key: FnKey, run: () => void, enabled = true): void {
  const registry = useRegistry();
  const action = useRef<FnAction>({ run, enabled });
  action.current = { run, enabled };
  useEffect(() => registry.register(key, action), [registry, key]);
}
