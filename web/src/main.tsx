/** The console's entry: read its settings, then render. */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { SessionProvider } from './auth/session';
import { loadConsoleConfig } from './config';
import './styles.css';

const root = createRoot(document.getElementById('root') as HTMLElement);
const queries = new QueryClient({ defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false } } });

loadConsoleConfig().then(
  (config) =>
    root.render(
      <StrictMode>
        <QueryClientProvider client={queries}>
          <SessionProvider>
            <App config={config} />
          </SessionProvider>
        </QueryClientProvider>
      </StrictMode>,
    ),
  (err: unknown) => root.render(<p role="alert">The console cannot start: {(err as Error).message}</p>),
);
