/**
 * V3 collection envelope: `{data, meta: {pagination: {total, count, per_page, current_page,
 * total_pages, links: {previous, current, next}}}}` (bigcommerce-facts.md section e).
 */
export function paginate<T>(all: T[], page: number, limit: number): { data: T[]; meta: { pagination: Record<string, unknown> } } {
  const total = all.length;
  const totalPages = Math.max(1, Math.ceil(total / limit));
  const data = all.slice((page - 1) * limit, page * limit);
  const links: Record<string, string> = { current: `?page=${page}&limit=${limit}` };
  if (page > 1) links.previous = `?page=${page - 1}&limit=${limit}`;
  if (page < totalPages) links.next = `?page=${page + 1}&limit=${limit}`;
  return {
    data,
    meta: { pagination: { total, count: data.length, per_page: limit, current_page: page, total_pages: totalPages, links } },
  };
}

/** `include_fields` / `exclude_fields` (common query params); `id` is always kept. */
export function projectFields<T extends object>(item: T, include?: string, exclude?: string): T {
  if (!include && !exclude) return item;
  const entries = Object.entries(item);
  if (include) {
    const keep = new Set(['id', ...include.split(',').map((s) => s.trim())]);
    return Object.fromEntries(entries.filter(([k]) => keep.has(k))) as T;
  }
  const drop = new Set(exclude!.split(',').map((s) => s.trim()).filter((k) => k !== 'id'));
  return Object.fromEntries(entries.filter(([k]) => !drop.has(k))) as T;
}

/** Parse a `:in` list of integers, or undefined. */
export function intList(value: unknown): number[] | undefined {
  if (value === undefined) return undefined;
  return String(value)
    .split(',')
    .map((s) => Number(s.trim()))
    .filter((n) => Number.isInteger(n));
}
