import { create } from 'zustand';
import type { IpcError } from '../../../shared/errors';
import type {
  DependantOption,
  SearchSecretsRequest,
  SecretDetail,
  SecretRow,
  UsedByFilter,
} from '../../../shared/schemas/inventory';
import { call, toIpcError } from '../keyring';

export const PAGE_SIZE = 200;

export interface SecretFilters {
  query: string;
  usage: SearchSecretsRequest['usage'];
  presence: SearchSecretsRequest['presence'];
  usedBy: UsedByFilter | null;
}

export interface SecretRef {
  workspaceId: string;
  secretId: string;
}

export interface LoadedPage {
  /** The `revision` it was read at; older pages stay on screen until re-read. */
  revision: number;
  items: SecretRow[];
}

export interface InventoryState {
  filters: SecretFilters;
  /** Whose secrets: a workspace id, null for every workspace, undefined before the first scope is known. */
  workspaceId: string | null | undefined;
  /** Bumped when the question changes: loaded pages are dropped. */
  generation: number;
  /** Bumped when the data changed (a sync): loaded pages stay visible and are re-read. */
  revision: number;
  /** Matches for the current question; null until the first page answers. */
  total: number | null;
  /** Loaded pages by page index (PAGE_SIZE rows each). */
  pages: Record<number, LoadedPage>;
  status: 'idle' | 'loading' | 'ready' | 'error';
  error: IpcError | null;

  /** The keyboard cursor in the list. */
  selectedIndex: number | null;
  /** The secret shown in the detail pane. */
  openSecret: SecretRef | null;
  detail: { status: 'idle' | 'loading' | 'ready' | 'error'; data: SecretDetail | null; error: IpcError | null };

  /** Options of the "Used by" filter for the current scope. */
  dependants: { status: 'idle' | 'loading' | 'ready' | 'error'; options: DependantOption[]; error: IpcError | null };

  setScope(workspaceId: string | null): void;
  setFilters(filters: Partial<SecretFilters>): void;
  resetFilters(): void;
  refresh(): void;
  ensurePage(pageIndex: number): void;
  select(index: number | null): void;
  open(ref: SecretRef | null): void;
  rowAt(index: number): SecretRow | undefined;
}

const defaultFilters: SecretFilters = { query: '', usage: 'any', presence: 'present', usedBy: null };
const inFlight = new Set<string>();
let detailSequence = 0;
let dependantsSequence = 0;

export const useInventory = create<InventoryState>()((set, get) => {
  /** The question changed: forget loaded pages and ask again from the top. */
  function restart(patch: Partial<InventoryState>): void {
    set((state) => ({
      ...patch,
      generation: state.generation + 1,
      total: null,
      pages: {},
      status: 'loading',
      error: null,
      selectedIndex: null,
    }));
    get().ensurePage(0);
  }

  async function loadDependants(): Promise<void> {
    const { workspaceId } = get();
    if (workspaceId === undefined) return;
    const sequence = ++dependantsSequence;
    set((state) => ({ dependants: { ...state.dependants, status: 'loading', error: null } }));
    try {
      const reply = await call((api) => api.inventory.listDependants({ workspaceId }));
      if (sequence !== dependantsSequence) return;
      set({ dependants: { status: 'ready', options: reply.dependants, error: null } });
      const { usedBy } = get().filters;
      if (usedBy && !reply.dependants.some((o) => sameUsedBy(o, usedBy))) get().setFilters({ usedBy: null });
    } catch (error) {
      if (sequence !== dependantsSequence) return;
      set((state) => ({ dependants: { ...state.dependants, status: 'error', error: toIpcError(error) } }));
    }
  }

  async function loadDetail(ref: SecretRef, keepShowing: boolean): Promise<void> {
    const sequence = ++detailSequence;
    set((state) => ({
      detail: keepShowing ? { ...state.detail, status: state.detail.data ? state.detail.status : 'loading' } : { status: 'loading', data: null, error: null },
    }));
    try {
      const data = await call((api) => api.inventory.getSecret(ref));
      if (sequence !== detailSequence) return;
      set({ detail: { status: 'ready', data, error: null } });
    } catch (error) {
      if (sequence !== detailSequence) return;
      set({ detail: { status: 'error', data: null, error: toIpcError(error) } });
    }
  }

  return {
    filters: defaultFilters,
    workspaceId: undefined,
    generation: 0,
    revision: 0,
    total: null,
    pages: {},
    status: 'idle',
    error: null,
    selectedIndex: null,
    openSecret: null,
    detail: { status: 'idle', data: null, error: null },
    dependants: { status: 'idle', options: [], error: null },

    setScope(workspaceId) {
      if (get().workspaceId === workspaceId) return;
      const { usedBy } = get().filters;
      const filters = usedBy && workspaceId !== null && usedBy.workspaceId !== workspaceId ? { ...get().filters, usedBy: null } : get().filters;
      restart({ workspaceId, filters });
      void loadDependants();
    },

    setFilters(patch) {
      const filters = { ...get().filters, ...patch };
      if (JSON.stringify(filters) === JSON.stringify(get().filters)) return;
      restart({ filters });
    },

    resetFilters() {
      restart({ filters: defaultFilters });
    },

    refresh() {
      if (get().workspaceId === undefined) return;
      set((state) => ({ revision: state.revision + 1 }));
      // Re-read what is on screen; the list asks for the other visible pages itself.
      const loaded = Object.keys(get().pages).map(Number);
      for (const page of loaded.length ? loaded : [0]) get().ensurePage(page);
      void loadDependants();
      const { openSecret } = get();
      if (openSecret) void loadDetail(openSecret, true);
    },

    ensurePage(pageIndex) {
      const { workspaceId, filters, generation, revision, pages, total } = get();
      if (workspaceId === undefined) return;
      if (pages[pageIndex]?.revision === revision) return;
      if (total !== null && pageIndex * PAGE_SIZE >= total && pageIndex > 0) return;
      const key = `${generation}:${revision}:${pageIndex}`;
      if (inFlight.has(key)) return;
      inFlight.add(key);
      const request: SearchSecretsRequest = {
        query: filters.query.trim(),
        workspaceId,
        usage: filters.usage,
        presence: filters.presence,
        usedBy: filters.usedBy,
        offset: pageIndex * PAGE_SIZE,
        limit: PAGE_SIZE,
      };
      call((api) => api.inventory.searchSecrets(request))
        .then((reply) => {
          const state = get();
          // A reply to an older question, or to data that has changed since, is stale.
          if (state.generation !== generation || state.revision !== revision) return;
          const nextPages: Record<number, LoadedPage> = { ...state.pages, [pageIndex]: { revision, items: reply.items } };
          // Pages past the new end are gone.
          for (const index of Object.keys(nextPages).map(Number)) {
            if (index > 0 && index * PAGE_SIZE >= reply.total) delete nextPages[index];
          }
          const selectedIndex = state.selectedIndex !== null && state.selectedIndex >= reply.total ? (reply.total ? reply.total - 1 : null) : state.selectedIndex;
          set({ pages: nextPages, total: reply.total, status: 'ready', error: null, selectedIndex });
        })
        .catch((error: unknown) => {
          const state = get();
          if (state.generation !== generation || state.revision !== revision) return;
          set({ status: 'error', error: toIpcError(error) });
        })
        .finally(() => inFlight.delete(key));
    },

    select(index) {
      set({ selectedIndex: index });
    },

    open(ref) {
      const current = get().openSecret;
      if (ref && current && ref.workspaceId === current.workspaceId && ref.secretId === current.secretId) return;
      set({ openSecret: ref });
      if (ref) void loadDetail(ref, false);
      else {
        detailSequence++;
        set({ detail: { status: 'idle', data: null, error: null } });
      }
    },

    rowAt(index) {
      const page = get().pages[Math.floor(index / PAGE_SIZE)];
      return page?.items[index % PAGE_SIZE];
    },
  };
});

export function sameUsedBy(a: UsedByFilter | DependantOption, b: UsedByFilter | DependantOption): boolean {
  return a.workspaceId === b.workspaceId && a.kind === b.kind && a.dependantId === b.dependantId;
}

export function hasActiveFilters(filters: SecretFilters): boolean {
  return filters.query.trim() !== '' || filters.usage !== 'any' || filters.presence !== 'present' || filters.usedBy !== null;
}
