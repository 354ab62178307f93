// A bounded, least-recently-used cache of answered pages, keyed by query key. Immutable, so the
// reducer can own it: a page change that hits the cache is answered in the same render, with no
// request and no intermediate "loading" frame.
import type {CachedPage, PageCache} from './types.js';

/** 40 pages of 25 exports stay well under the memory budget and cover paging back and forth. */
export const defaultCacheLimit = 40;

export function createPageCache(limit = defaultCacheLimit): PageCache {
	return {limit: Math.max(1, limit), entries: new Map()};
}

export function cacheGet(cache: PageCache, key: string): CachedPage | undefined {
	return cache.entries.get(key);
}

export function cacheHas(cache: PageCache, key: string): boolean {
	return cache.entries.has(key);
}

/** Stores `value` as the most recently used entry, evicting the least recently used beyond the limit. */
export function cachePut(cache: PageCache, key: string, value: CachedPage): PageCache {
	const entries = new Map(cache.entries);
	entries.delete(key);
	entries.set(key, value);
	for (const oldest of entries.keys()) {
		if (entries.size <= cache.limit) {
			break;
		}

		entries.delete(oldest);
	}

	return {limit: cache.limit, entries};
}

/** Marks an entry as just used; returns the same cache when it is absent or already the newest. */
export function cacheTouch(cache: PageCache, key: string): PageCache {
	const value = cache.entries.get(key);
	if (value === undefined) {
		return cache;
	}

	let newest: string | undefined;
	for (const entryKey of cache.entries.keys()) {
		newest = entryKey;
	}

	return newest === key ? cache : cachePut(cache, key, value);
}

export function cacheClear(cache: PageCache): PageCache {
	return cache.entries.size === 0 ? cache : createPageCache(cache.limit);
}
