/**
 * Typed in-process events named `noun:verb`. The ledger, metrics and the webhook dispatcher
 * subscribe to these instead of being called from every mutation site.
 */

export type Listener<T> = (payload: T) => void;

export interface EventBus<M extends object> {
  on<K extends keyof M>(name: K, listener: Listener<M[K]>): () => void;
  emit<K extends keyof M>(name: K, payload: M[K]): void;
}

export function createEventBus<M extends object>(): EventBus<M> {
  const listeners = new Map<keyof M, Set<Listener<never>>>();
  return {
    on(name, listener) {
      let set = listeners.get(name);
      if (!set) listeners.set(name, (set = new Set()));
      set.add(listener as Listener<never>);
      return () => set.delete(listener as Listener<never>);
    },
    emit(name, payload) {
      const set = listeners.get(name);
      if (!set) return;
      for (const listener of set) (listener as Listener<typeof payload>)(payload);
    },
  };
}
