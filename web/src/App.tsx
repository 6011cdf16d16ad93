/** The console's frame: navigation, the zone picker, the health banner, and the page. */
import { useState } from 'react';
import { Link, Route, Router, Switch } from 'wouter';
import { useSession } from './auth/session';
import { CalendarPage } from './calendar/CalendarPage';
import { RuleEditor } from './editor/RuleEditor';
import { FiringsPage } from './firings/FiringsPage';
import { RulePage } from './rules/RulePage';
import { RulesPage } from './rules/RulesPage';
import type { SignIn } from './auth/oidc';
import type { ConsoleConfig } from './config';
import { HealthBanner } from './health/HealthBanner';
import { useLiveEvents } from './live/useLiveEvents';
import { Field } from './ui/Field';
import { zoneChoices } from './ui/zones';

const ZONE_KEY = 'console.zone';

function ZonePicker({
  zone,
  choices,
  onChange,
}: {
  zone: string;
  choices: string[];
  onChange: (z: string) => void;
}) {
  return (
    <Field label="Time zone" className="zone">
      {(id) => (
        <select id={id} value={zone} onChange={(e) => onChange(e.target.value)}>
          {choices.map((z) => (
            <option key={z} value={z}>
              {z}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

export function App({ config, signIn = null }: { config: ConsoleConfig; signIn?: SignIn | null }) {
  const session = useSession();
  const streamProblem = useLiveEvents();
  const choices = zoneChoices(config.timezone);
  const stored = window.localStorage.getItem(ZONE_KEY);
  const [zone, setZone] = useState(stored !== null && choices.includes(stored) ? stored : config.timezone);
  const pick = (z: string) => {
    window.localStorage.setItem(ZONE_KEY, z);
    setZone(z);
  };
  return (
    <Router base="/console">
      <header className="top">
        <nav aria-label="Main">
          <Link href="/">Calendar</Link>
          <Link href="/rules">Rules</Link>
          <Link href="/firings">Firings</Link>
        </nav>
        <ZonePicker zone={zone} choices={choices} onChange={pick} />
        <span className="user">
          {session.user ? `Signed in as ${session.user}` : null}
          {session.auth && !session.canWrite ? ' (read only)' : null}
        </span>
        {signIn !== null ? (
          <button type="button" onClick={() => void signIn.signOut()}>
            Sign out
          </button>
        ) : null}
      </header>
      <HealthBanner streamProblem={streamProblem} />
      <main>
        <Switch>
          <Route path="/">
            <CalendarPage zone={zone} />
          </Route>
          <Route path="/rules">
            <RulesPage zone={zone} />
          </Route>
          <Route path="/rules/new">
            <RuleEditor id={null} serviceZone={config.timezone} />
          </Route>
          <Route path="/rules/:id/edit">
            {(params) => <RuleEditor id={params.id} serviceZone={config.timezone} />}
          </Route>
          <Route path="/rules/:id">{(params) => <RulePage id={params.id} zone={zone} />}</Route>
          <Route path="/firings">
            <FiringsPage zone={zone} />
          </Route>
          <Route>
            <p>This page does not exist.</p>
          </Route>
        </Switch>
      </main>
    </Router>
  );
}
