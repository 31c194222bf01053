import { createContext, useContext } from 'react';
import type { Session } from './session';

/** The logged-in person, given by the layout to every screen under it. */
export const PersonContext = createContext<Session | null>(null);

export function useSessionPerson(): Session {
  const person = useContext(PersonContext);
  if (!person) throw new Error('useSessionPerson outside the logged-in layout');
  return person;
}
