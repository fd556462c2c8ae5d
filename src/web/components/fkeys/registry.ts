export const FN_KEYS = ['F1', 'F2', 'F3', 'F4', 'F5', 'F6', 'F7', 'F8', 'F9', 'F10', 'F11', 'F12'] as const;
export type FnKey = (typeof FN_KEYS)[number];

export interface FnAction {
  /** Runs the action; return value ignored. */
  run: () => void;
  /** A disabled action still swallows the key so it does not fall through to the screen behind. */
  enabled: boolean;
}

interface Registration {
  key: FnKey;
  seq: number;
  action: { current: FnAction };
}

/**
 * Screens (and dialogs over them) register F-key actions; the most recently mounted
 * registration of a key wins, so a dialog's F1 takes over from the form behind it and
 * hands it back when it closes.
 */
export class FnKeyRegistry {
  private seq = 0;
  private readonly registrations = new Set<Registration>();
  private readonly listeners = new Set<() => void>();

  register(key: FnKey, action: { current: FnAction }): () => void {
    this.seq += 1;
    const registration: Registration = { key, seq: this.seq, action };
    this.registrations.add(registration);
    this.emit();
    return () => {
      this.registrations.delete(registration);
      this.emit();
    };
  }

  find(key: FnKey): FnAction | undefined {
    let best: Registration | undefined;
    for (const registration of this.registrations) {
      if (registration.key === key && (!best || registration.seq > best.seq)) best = registration;
    }
    return best?.action.current;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}

export function isFnKey(key: string): key is FnKey {
  return (FN_KEYS as readonly string[]).includes(key);
}

/** Keys the browser uses for something an operator never wants inside the app. */
export const ALWAYS_BLOCKED: ReadonlySet<FnKey> = new Set<FnKey>(['F1']);

/** F6–F10 convert text during Japanese IME composition; never steal them then. */
export function isComposing(event: KeyboardEvent): boolean {
  return event.isComposing || event.keyCode === 229;
}
