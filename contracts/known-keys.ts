/**
 * Type helpers for deriving types from the generated contract types (contracts/generated/).
 *
 * The contracts are open (`additionalProperties: true`), so every generated interface carries an
 * index signature `[k: string]: unknown`. `keyof` such a type is `string | number`, so `Omit<T, K>`
 * and `Pick<T, K>` lose every declared key; strip the index signature first.
 */

/** Keeps K unless it is an index-signature key (string, number or symbol itself, not a literal). */
type DeclaredKey<K> = string extends K ? never : number extends K ? never : symbol extends K ? never : K;

/** T without its index signature: only the declared fields, with their optional/readonly modifiers. */
export type StripIndex<T> = { [K in keyof T as DeclaredKey<K>]: T[K] };

/** The declared keys of T (its index signature left out). */
export type KnownKeys<T> = keyof StripIndex<T>;

/** T's declared fields without K: `Omit` that works on a type with an index signature. */
export type OmitKnown<T, K extends KnownKeys<T>> = Omit<StripIndex<T>, K>;

/**
 * The contract T with the fields of D retyped (or, with an optional type in D, allowed to be
 * absent): a served shape that departs from its contract. A renderer returns this instead of T only
 * when the difference is known and written down next to the use, so the departure is visible,
 * greppable and checked by the compiler: every field not named in D must still match T.
 */
export type Departing<T, D extends { [K in KnownKeys<T>]?: unknown }> = Omit<StripIndex<T>, keyof D> & D & { [k: string]: unknown };
