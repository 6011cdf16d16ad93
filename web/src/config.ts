/** GET /console/config.json: how to sign in, and the service's zone. */
export interface ConsoleConfig {
  auth: boolean;
  oidc_url: string | null;
  console_client_id: string | null;
  audience: string | null;
  write_scope: string | null;
  timezone: string;
}

export async function loadConsoleConfig(): Promise<ConsoleConfig> {
  const response = await fetch(new URL('/console/config.json', window.location.origin));
  if (!response.ok) throw new Error(`GET /console/config.json answered ${response.status}`);
  return (await response.json()) as ConsoleConfig;
}
