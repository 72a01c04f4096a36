// Library slice: the searchable, filterable list of threat models.
import type { StateCreator } from 'zustand';
import { ApiError, type ModelQuery } from '../api/client';
import { indexCatalog } from '../schema/catalog';
import type { AppState, CatalogSlice, Deps, Filter, LibrarySlice } from './types';

const PAGE = 50;

export const catalogSlice =
  (deps: Deps): StateCreator<AppState, [], [], CatalogSlice> =>
  (set, get) => ({
    catalog: null,
    catalogError: null,
    async loadCatalog() {
      if (get().catalog) return;
      try {
        set({ catalog: indexCatalog(await deps.api.catalog()), catalogError: null });
      } catch (e) {
        set({ catalogError: (e as Error).message });
      }
    },
  });

const sameFilter = (a: Filter, b: Filter) => a.facet === b.facet && a.value === b.value;

export const librarySlice = (deps: Deps): StateCreator<AppState, [], [], LibrarySlice> => {
  let request = 0;
  return (set, get) => ({
    models: [],
    modelsNext: '',
    modelsLoading: false,
    modelsError: null,
    search: '',
    filters: [],
    sort: '-updatedAt',
    setSearch(q) {
      set({ search: q });
      void get().loadModels();
    },
    addFilter(f) {
      if (!f.value || get().filters.some((x) => sameFilter(x, f))) return;
      set({ filters: [...get().filters, f] });
      void get().loadModels();
    },
    removeFilter(f) {
      set({ filters: get().filters.filter((x) => !sameFilter(x, f)) });
      void get().loadModels();
    },
    setSort(s) {
      set({ sort: s });
      void get().loadModels();
    },
    async loadModels(more = false) {
      const { search, filters, sort, modelsNext } = get();
      const q: ModelQuery = {
        q: search || undefined,
        type: filters.filter((f) => f.facet === 'type').map((f) => f.value),
        label: filters.filter((f) => f.facet === 'label').map((f) => f.value),
        priority: filters.filter((f) => f.facet === 'priority').map((f) => f.value),
        sort,
        limit: PAGE,
        cursor: more ? modelsNext || undefined : undefined,
      };
      const mine = ++request;
      set({ modelsLoading: true, modelsError: null });
      try {
        const page = await deps.api.listModels(q);
        if (mine !== request) return; // a newer query won
        set({ models: more ? [...get().models, ...page.items] : page.items, modelsNext: page.next, modelsLoading: false });
      } catch (e) {
        if (mine === request) set({ modelsLoading: false, modelsError: (e as Error).message });
      }
    },
    async deleteModel(id) {
      try {
        await deps.api.deleteModel(id);
      } catch (e) {
        if (!(e instanceof ApiError && e.status === 404)) throw e;
      }
      deps.drafts.discard(id);
      set({ models: get().models.filter((m) => m.id !== id) });
    },
    async createModel(m) {
      const created = await deps.api.createModel(m);
      void get().loadModels();
      return created;
    },
    async updateDetails(id, patch) {
      const open = () => get().modelId === id;
      // The diagram's pending edits go first, so the PATCH names the latest revision.
      if (open() && get().dirty) await get().save();
      const revision = open() ? get().revision : (await deps.api.getModel(id)).revision;
      const m = await deps.api.patchModel(id, revision, patch);
      if (open() && get().revision === revision) set({ model: { ...m, diagram: get().model?.diagram ?? m.diagram }, revision: m.revision });
      set({
        models: get().models.map((x) =>
          x.id === id
            ? { ...x, name: m.name, version: m.version, projectType: m.projectType, priority: m.priority, facing: m.facing, labels: m.labels, updatedAt: m.updatedAt, revision: m.revision }
            : x,
        ),
      });
      return m;
    },
  });
};
