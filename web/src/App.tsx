// The desk: sign in, then the depository's view or a client bank's, by the user's role.
import { type ReactElement, useEffect, useState } from 'react';
import { call } from './api.ts';
import { DeskContext } from './desk.ts';
import { useHashRoute } from './hooks.ts';
import { Correspondence } from './pages/correspondence/Correspondence.tsx';
import { Approvals } from './pages/custody/Approvals.tsx';
import { Instructions } from './pages/custody/Instructions.tsx';
import { Representatives } from './pages/custody/Representatives.tsx';
import { Journal } from './pages/journal/Journal.tsx';
import { SignIn } from './pages/parties/SignIn.tsx';
import { Users } from './pages/parties/Users.tsx';
import { Accept } from './pages/trading/Accept.tsx';
import { Fixings } from './pages/trading/Fixings.tsx';
import { Offers } from './pages/trading/Offers.tsx';
import { Trades } from './pages/trading/Trades.tsx';
import { Treasury } from './pages/treasury/Treasury.tsx';
import { Holdings } from './pages/vault/Holdings.tsx';
import type { Fixing, Session } from './types.ts';

const DEPOSITORY_ROLES = ['depository_operator', 'depository_supervisor', 'auditor'];

interface Tab {
  readonly route: string;
  readonly label: string;
  readonly page: () => ReactElement;
}

const DEPOSITORY_TABS: readonly Tab[] = [
  { route: 'vault', label: 'Vault', page: () => <Holdings /> },
  { route: 'offers', label: 'Offers', page: () => <Offers /> },
  { route: 'trades', label: 'Trades', page: () => <Trades /> },
  { route: 'instructions', label: 'Instructions', page: () => <Instructions /> },
  { route: 'approvals', label: 'Approvals', page: () => <Approvals /> },
  { route: 'fixings', label: 'Fixings', page: () => <Fixings /> },
  { route: 'journal', label: 'Journal', page: () => <Journal /> },
  { route: 'correspondence', label: 'Correspondence', page: () => <Correspondence /> },
  { route: 'users', label: 'Users', page: () => <Users /> },
];
const CLIENT_TABS: readonly Tab[] = [
  { route: 'holdings', label: 'Holdings', page: () => <Holdings /> },
  { route: 'accept', label: 'Buy gold', page: () => <Accept /> },
  { route: 'trades', label: 'Trades', page: () => <Trades /> },
  { route: 'treasury', label: 'Treasury', page: () => <Treasury /> },
  { route: 'instructions', label: 'Instructions', page: () => <Instructions /> },
  { route: 'approvals', label: 'Approvals', page: () => <Approvals /> },
  { route: 'representatives', label: 'Representatives', page: () => <Representatives /> },
  { route: 'correspondence', label: 'Correspondence', page: () => <Correspondence /> },
  { route: 'fixings', label: 'Fixings', page: () => <Fixings /> },
  { route: 'users', label: 'Users', page: () => <Users /> },
];

function Shell({ session, onSignOut }: { session: Session; onSignOut: () => void }) {
  const depository = DEPOSITORY_ROLES.includes(session.user.role);
  const tabs = depository ? DEPOSITORY_TABS : CLIENT_TABS;
  const [route, go] = useHashRoute(tabs[0]?.route ?? '');
  const [date, setDate] = useState('');
  useEffect(() => {
    // The business date starts at the latest fixing: the books may be of any year.
    call<Fixing[]>('GET', '/prices').then(
      (fixings) =>
        setDate((current) => current || (fixings.at(-1)?.date ?? new Date().toISOString().slice(0, 10))),
      () => setDate(new Date().toISOString().slice(0, 10)),
    );
  }, []);
  const tab = tabs.find((t) => t.route === route.split('/')[0]) ?? tabs[0];
  return (
    <DeskContext.Provider value={{ session, depository, date }}>
      <header className="top">
        <strong>Ingot</strong>
        <span className="who">
          {session.user.name} · {session.user.role.replaceAll('_', ' ')} · {session.user.party_id}
        </span>
        <label className="date">
          Business date <input type="date" value={date} onChange={(e) => setDate(e.target.value)} />
        </label>
        <button type="button" onClick={onSignOut}>
          Sign out
        </button>
      </header>
      <nav className="tabs">
        {tabs.map((t) => (
          <button
            type="button"
            key={t.route}
            className={t === tab ? 'active' : ''}
            onClick={() => go(t.route)}
          >
            {t.label}
          </button>
        ))}
      </nav>
      <main>{date ? tab?.page() : <p>Loading…</p>}</main>
    </DeskContext.Provider>
  );
}

export function App() {
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  useEffect(() => {
    // Any refusal (401: no session, or the server is away) shows the sign-in page.
    call<Session>('GET', '/session').then(setSession, () => setSession(null));
  }, []);
  if (session === undefined) return <p className="loading">Loading…</p>;
  if (session === null) return <SignIn onSignedIn={setSession} />;
  const signOut = () => {
    call('DELETE', '/session').finally(() => setSession(null));
  };
  return <Shell session={session} onSignOut={signOut} />;
}
