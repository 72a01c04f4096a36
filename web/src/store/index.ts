// The one application store (zustand): catalog, library and editor slices.
import { createContext, useContext } from 'react';
import { createStore, useStore, type StoreApi } from 'zustand';
import { acceleratorSlice } from '../accelerator/slice';
import { editorSlice } from './editor';
import { catalogSlice, librarySlice } from './library';
import type { AppState, Deps } from './types';

export type AppStore = StoreApi<AppState>;

export function createAppStore(deps: Deps): AppStore {
  return createStore<AppState>()((...a) => ({
    ...catalogSlice(deps)(...a),
    ...librarySlice(deps)(...a),
    ...editorSlice(deps)(...a),
    ...acceleratorSlice(deps)(...a),
  }));
}

export const StoreContext = createContext<AppStore | null>(null);

/** useApp selects from the application store. Select small pieces: a node reads its own data, never whole arrays. */
export function useApp<T>(selector: (s: AppState) => T): T {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useApp outside StoreContext');
  return useStore(store, selector);
}

export function useAppStore(): AppStore {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useAppStore outside StoreContext');
  return store;
}

export type { AppState, Deps } from './types';
