/** Wire schemas of the console's two endpoints (GET /console/config.json, GET /me). */
import { z } from 'zod';

export const consoleConfigWire = z
  .object({
    auth: z.boolean().meta({ description: 'Whether the API needs a Bearer token (iss is set)' }),
    oidc_url: z.string().nullable().meta({ description: "The OpenID provider's discovery URL" }),
    console_client_id: z.string().nullable().meta({ description: 'The OIDC client the console signs in as' }),
    audience: z.string().nullable().meta({ description: 'The audience (aud) tokens must carry' }),
    write_scope: z
      .string()
      .nullable()
      .meta({ description: 'The scope or role a token needs to change anything' }),
    timezone: z.string().meta({ description: "The service's default IANA zone", example: 'Europe/Berlin' }),
  })
  .meta({ id: 'ConsoleConfig' });

export const meWire = z
  .object({
    user: z
      .string()
      .nullable()
      .meta({ description: "The token's user (preferred_username, else sub); null without auth" }),
    can_write: z.boolean().meta({ description: 'Whether this token may change anything (write_scope)' }),
    auth: z.boolean(),
  })
  .meta({ id: 'Me' });
