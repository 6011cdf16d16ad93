/** The console's frame: navigation, the zone picker, the health banner, and the page. */
import { useState } from 'react';
import { Link, Route, Router, Switch } from 'wouter';
import { useSession } from './auth/session';
import { CalendarPage } from './calendar/CalendarPage';
import type { ConsoleConfig } from './config';
import { HealthBanner } from './health/HealthBanner';
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

export function App({ config }: { config: ConsoleConfig }) {
  const session = useSession();
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
        </nav>
        <ZonePicker zone={zone} choices={choices} onChange={pick} />
        <span className="user">
          {session.user ? `Signed in as ${session.user}` : null}
          {session.auth && !session.canWrite ? ' (read only)' : null}
        </span>
      </header>
      <HealthBanner streamProblem={null} />
      <main>
        <Switch>
          <Route path="/">
            <CalendarPage zone={zone} />
          </Route>
          <Route>
            <p>This page does not exist.</p>
          </Route>
        </Switch>
      </main>
    </Router>
  );
}
