// The one Rest client of the app, made by main.tsx and handed to components
// through RestContext (and to the store through Deps.rest). Components never
// make their own; tests provide a fake.
import { createContext, useContext, useMemo } from 'react';
import type { Rest } from './rest';

export const RestContext = createContext<Rest | null>(null);

/** useRest returns the app's Rest client. */
export function useRest(): Rest {
  const rest = useContext(RestContext);
  if (!rest) throw new Error('useRest outside RestContext');
  return rest;
}

/** useRestApi builds a feature's API (httpApi, templatesApi, evidenceApi, …) over the app's Rest client, once per client. */
export function useRestApi<T>(make: (rest: Rest) => T): T {
  const rest = useRest();
  return useMemo(() => make(rest), [make, rest]);
}
