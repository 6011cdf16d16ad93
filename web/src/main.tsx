/** The console's entry: read its settings, then render. */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { prepareSignIn, type SignIn } from './auth/oidc';
import { SessionProvider } from './auth/session';
import { SignInPage } from './auth/SignInPage';
import { loadConsoleConfig, type ConsoleConfig } from './config';
import './styles.css';

const root = createRoot(document.getElementById('root') as HTMLElement);
const queries = new QueryClient({ defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false } } });

async function start(): Promise<void> {
  const config: ConsoleConfig = await loadConsoleConfig();
  const signIn: SignIn | null = config.auth ? await prepareSignIn(config) : null;
  if (signIn !== null && signIn.user === null) {
    root.render(
      <StrictMode>
        <SignInPage signIn={signIn} />
      </StrictMode>,
    );
    return;
  }
  root.render(
    <StrictMode>
      <QueryClientProvider client={queries}>
        <SessionProvider>
          <App config={config} signIn={signIn} />
        </SessionProvider>
      </QueryClientProvider>
    </StrictMode>,
  );
}

start().catch((err: unknown) =>
  root.render(<p role="alert">The console cannot start: {(err as Error).message}</p>),
);
