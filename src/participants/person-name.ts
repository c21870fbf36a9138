/** A person's name as stored: null once their details are erased. */
export interface Named {
  given_name: string | null;
  family_name: string | null;
}

export const personName = (r: Named) => (r.given_name === null ? 'Erased participant' : [r.given_name, r.family_name].filter(Boolean).join(' '));

/** "K." for Khan: what a group leader reads in place of a family name. */
export const familyInitial = (family: string | null): string | null => {
  const first = family?.trim() ? [...family.trim()][0] : undefined;
  return first ? `${first.toLocaleUpperCase('en-GB')}.` : null;
};

/** The name as this reader may see it: a group leader reads the given name and family initial. */
export const nameFor = (r: Named, leader: boolean) =>
  leader ? (r.given_name === null ? 'Erased participant' : [r.given_name, familyInitial(r.family_name)].filter(Boolean).join(' ')) : personName(r);
