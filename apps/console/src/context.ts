import { createContext } from 'preact';
import { useContext, useEffect, useState } from 'preact/hooks';
import type { Api } from './api';
import type { LiveState } from './live-stream';
import type { OperationStore } from './operation-store';

export interface ConsoleContext {
  api: Api;
  store: OperationStore;
  live: LiveState;
  /** Called with ids of operations the live stream mentioned that the store does not hold. */
  unknownListeners: Set<(ids: string[]) => void>;
}

export const Ctx = createContext<ConsoleContext | null>(null);

export function useConsole(): ConsoleContext {
  const c = useContext(Ctx);
  if (!c) throw new Error('useConsole outside the signed-in console');
  return c;
}

/** Re-renders the caller whenever the store applied changes (at most once per frame). */
export function useStoreRevision(store: OperationStore): number {
  const [rev, setRev] = useState(store.revision);
  useEffect(() => store.subscribe(() => setRev(store.revision)), [store]);
  return rev;
}

/** The current time, refreshed every second: elapsed times and ETAs tick without new data. */
export function useNow(everyMs = 1000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(t);
  }, [everyMs]);
  return now;
}

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '–';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'medium' });
}
