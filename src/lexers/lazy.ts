/**
 * A value made the first time it is asked for. moo compiles a lexer's rules into one regex when
 * it is built; built at import, the eleven lexers cost a one-file run (a pre-commit hook on one
 * debian/rules) ~20 ms for the ten it never uses.
 */
export function lazy<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}
