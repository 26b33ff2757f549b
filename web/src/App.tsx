// The desk: sign in, then the depository's view or a client bank's, by the user's role.
import { type KeyboardEvent, type ReactElement, useEffect, useRef, useState } from 'react';
import { call } from './api.ts';
import { DeskContext } from './desk.ts';
import { type DateOrigin, useBusinessDate, useHashRoute, useScrollingTablesFocusable } from './hooks.ts';
import { Correspondence } from './pages/correspondence/Correspondence.tsx';
import { Approvals } from './pages/custody/Approvals.tsx';
import { FeeSchedules } from './pages/custody/FeeSchedules.tsx';
import { Instructions } from './pages/custody/Instructions.tsx';
import { Representatives } from './pages/custody/Representatives.tsx';
import { Journal } from './pages/journal/Journal.tsx';
import { Banks } from './pages/parties/Banks.tsx';
import { SignIn } from './pages/parties/SignIn.tsx';
import { Users } from './pages/parties/Users.tsx';
import { Accept } from './pages/trading/Accept.tsx';
import { Fixings } from './pages/trading/Fixings.tsx';
import { Offers } from './pages/trading/Offers.tsx';
import { Trades } from './pages/trading/Trades.tsx';
import { Treasury } from './pages/treasury/Treasury.tsx';
import { Bars } from './pages/vault/Bars.tsx';
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
  { route: 'bars', label: 'Bars', page: () => <Bars /> },
  { route: 'offers', label: 'Offers', page: () => <Offers /> },
  { route: 'trades', label: 'Trades', page: () => <Trades /> },
  { route: 'instructions', label: 'Instructions', page: () => <Instructions /> },
  { route: 'approvals', label: 'Approvals', page: () => <Approvals /> },
  { route: 'fees', label: 'Fee schedules', page: () => <FeeSchedules /> },
  { route: 'fixings', label: 'Fixings', page: () => <Fixings /> },
  { route: 'journal', label: 'Journal', page: () => <Journal /> },
  { route: 'correspondence', label: 'Correspondence', page: () => <Correspondence /> },
  { route: 'banks', label: 'Banks', page: () => <Banks /> },
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
  { route: 'fees', label: 'Fee schedules', page: () => <FeeSchedules /> },
  { route: 'correspondence', label: 'Correspondence', page: () => <Correspondence /> },
  { route: 'fixings', label: 'Fixings', page: () => <Fixings /> },
  { route: 'users', label: 'Users', page: () => <Users /> },
];

/** What the business date's origin says beside it. */
const ORIGIN_TEXT: Record<DateOrigin, string> = {
  kept: 'as you left it',
  bank: 'as last set by your bank at this desk',
  fixing: 'the latest fixing’s date',
  today: 'today',
  chosen: 'as you set it',
};

function latestFixing(): Promise<string | undefined> {
  return call<Fixing[]>('GET', '/prices').then((fixings) => fixings.at(-1)?.date);
}

/** The business date, typed or picked; a date half typed is held here until it is whole. */
function DateField({
  date,
  origin,
  choose,
}: {
  date: string;
  origin: DateOrigin;
  choose: (d: string) => void;
}) {
  const [draft, setDraft] = useState(date);
  useEffect(() => setDraft(date), [date]);
  return (
    <span className="date">
      <label>
        Business date{' '}
        <input
          type="date"
          value={draft}
          aria-describedby="date-origin"
          onChange={(e) => {
            setDraft(e.target.value);
            choose(e.target.value);
          }}
          onBlur={() => setDraft(date)}
        />
      </label>{' '}
      <small id="date-origin">{ORIGIN_TEXT[origin]}</small>
    </span>
  );
}

/** The tabs as a tab list: the active one marked, arrows, Home and End move between them. */
function TabList({
  tabs,
  active,
  go,
}: {
  tabs: readonly Tab[];
  active: Tab | undefined;
  go: (r: string) => void;
}) {
  const onKey = (event: KeyboardEvent<HTMLDivElement>) => {
    const at = active ? tabs.indexOf(active) : 0;
    const step: Record<string, number> = {
      ArrowRight: at + 1,
      ArrowLeft: at - 1,
      Home: 0,
      End: tabs.length - 1,
    };
    const next = step[event.key];
    if (next === undefined) return;
    event.preventDefault();
    const target = tabs[(next + tabs.length) % tabs.length];
    if (!target) return;
    go(target.route);
    document.getElementById(`tab-${target.route}`)?.focus();
  };
  return (
    <nav className="tabs" aria-label="Pages">
      <div role="tablist" aria-label="Pages" onKeyDown={onKey}>
        {tabs.map((t) => (
          <button
            type="button"
            role="tab"
            id={`tab-${t.route}`}
            key={t.route}
            aria-selected={t === active}
            aria-controls="page"
            tabIndex={t === active ? 0 : -1}
            className={t === active ? 'active' : ''}
            onClick={() => go(t.route)}
          >
            {t.label}
          </button>
        ))}
      </div>
    </nav>
  );
}

function Shell({ session, onSignOut }: { session: Session; onSignOut: () => void }) {
  const depository = DEPOSITORY_ROLES.includes(session.user.role);
  const tabs = depository ? DEPOSITORY_TABS : CLIENT_TABS;
  const [route, go] = useHashRoute(tabs[0]?.route ?? '');
  const { date, origin, choose } = useBusinessDate(session.user, latestFixing);
  const tab = tabs.find((t) => t.route === route.split('/')[0]) ?? tabs[0];
  const main = useRef<HTMLElement>(null);
  useScrollingTablesFocusable(main);
  return (
    <DeskContext.Provider value={{ session, depository, date }}>
      <header className="top">
        <strong>Ingot</strong>
        <span className="who">
          {session.user.name} · {session.user.role.replaceAll('_', ' ')} · {session.user.party_id}
        </span>
        {date && <DateField date={date} origin={origin} choose={choose} />}
        <button type="button" onClick={onSignOut}>
          Sign out
        </button>
      </header>
      <TabList tabs={tabs} active={tab} go={go} />
      <main ref={main}>
        {/* Keyed by the date: a page's forms start again from a changed date, never keep the old one. */}
        <div role="tabpanel" id="page" aria-labelledby={tab ? `tab-${tab.route}` : undefined} key={date}>
          <h1>{tab?.label}</h1>
          {date ? tab?.page() : <p>Loading…</p>}
        </div>
      </main>
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
