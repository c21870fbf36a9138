/** Who did something, as a record shows them: null when no one (or by itself); a deleted account still has its place. */
export function userRef(id: number | null, name: string | null | undefined): { id: number; name: string } | null {
  return id === null ? null : { id, name: name ?? 'Former user' };
}
