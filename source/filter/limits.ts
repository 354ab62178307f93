// How much filter text is read, how deep it may nest, and the keys it may not use.

/** The longest filter text read: a URL has room for a few kilobytes of query, and no more. */
export const maxFilterLength = 2000;

/** How deep metadata keys (`metadata.a.b`) and a raw predicate's JSON may nest. */
export const maxFilterDepth = 16;

/**
 * Keys never used as metadata keys: merging them into an object would reach its prototype (and
 * through it every object of the process).
 */
export const forbiddenKeys: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);
