/**
 * Builders for the platform's filter parameters (bigcommerce-facts.md section e: `:in`, `:not_in`,
 * `:min`, `:max`, `:greater`, `:less`, `:like`), so a family declares `...intFilters('id', (c) => c.id)`
 * instead of writing each predicate.
 */
import type { FilterDecl, Item } from './model.ts';

type Get<T, V> = (item: T) => V;

/** `name`, `name:in`, `name:not_in`, `name:min`, `name:max`, `name:greater`, `name:less` on an integer field. */
export function intFilters<T extends Item>(name: string, get: Get<T, number>, ops: readonly ('eq' | 'in' | 'not_in' | 'min' | 'max' | 'greater' | 'less')[] = ['eq', 'in', 'not_in', 'min', 'max', 'greater', 'less']): Record<string, FilterDecl<T>> {
  const all: Record<string, FilterDecl<T>> = {
    eq: { type: 'int', test: (i, v: number) => get(i) === v },
    in: { type: 'int-list', test: (i, v: number[]) => v.includes(get(i)) },
    not_in: { type: 'int-list', test: (i, v: number[]) => !v.includes(get(i)) },
    min: { type: 'int', test: (i, v: number) => get(i) >= v },
    max: { type: 'int', test: (i, v: number) => get(i) <= v },
    greater: { type: 'int', test: (i, v: number) => get(i) > v },
    less: { type: 'int', test: (i, v: number) => get(i) < v },
  };
  return Object.fromEntries(ops.map((op) => [op === 'eq' ? name : `${name}:${op}`, all[op]!]));
}

/** `name` (exact) and `name:like` (case-insensitive substring), and `name:in` when asked. */
export function textFilters<T extends Item>(name: string, get: Get<T, string>, ops: readonly ('eq' | 'like' | 'in' | 'not_in')[] = ['eq', 'like']): Record<string, FilterDecl<T>> {
  const all: Record<string, FilterDecl<T>> = {
    eq: { type: 'string', test: (i, v: string) => get(i) === v },
    like: { type: 'string', test: (i, v: string) => get(i).toLowerCase().includes(v.toLowerCase()) },
    in: { type: 'string-list', test: (i, v: string[]) => v.includes(get(i)) },
    not_in: { type: 'string-list', test: (i, v: string[]) => !v.includes(get(i)) },
  };
  return Object.fromEntries(ops.map((op) => [op === 'eq' ? name : `${name}:${op}`, all[op]!]));
}

export function boolFilter<T extends Item>(get: Get<T, boolean>): FilterDecl<T> {
  return { type: 'bool', test: (i, v: boolean) => get(i) === v };
}
