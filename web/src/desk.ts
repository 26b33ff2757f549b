// What every page of the desk knows: who is signed in, and the business date being worked on.
import { createContext, useContext } from 'react';
import type { Session } from './types.ts';

export interface Desk {
  readonly session: Session;
  /** True for the depository's staff, who see every bank. */
  readonly depository: boolean;
  /** The business date: dates of acceptances, settlements and statements default to it. */
  readonly date: string;
}

export const DeskContext = createContext<Desk | undefined>(undefined);

/** The desk of the signed-in user; only used inside the signed-in part of the app. */
export function useDesk(): Desk {
  const desk = useContext(DeskContext);
  if (!desk) throw new Error('useDesk outside the desk');
  return desk;
}
