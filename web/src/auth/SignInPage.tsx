/** What a visitor sees when the service has auth on and nobody is signed in in this tab. */
import { useState } from 'react';
import type { SignIn } from './oidc';

export function SignInPage({ signIn }: { signIn: SignIn }) {
  const [problem, setProblem] = useState<string | null>(null);
  return (
    <main className="sign-in">
      <h1>RMF task scheduler</h1>
      <p>Sign in to see and change the fleet&apos;s schedules.</p>
      <button
        type="button"
        onClick={() =>
          signIn
            .signIn()
            .catch((err: unknown) =>
              setProblem(`Cannot reach the sign-in provider: ${(err as Error).message}`),
            )
        }
      >
        Sign in
      </button>
      {problem !== null ? <p role="alert">{problem}</p> : null}
    </main>
  );
}
