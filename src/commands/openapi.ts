/** `task_scheduler openapi`: the OpenAPI document of the REST API, as JSON. */
import { buildOpenApiDocument } from '../http/openapi.js';
import { loadConfig, type LoadConfigOptions } from '../loadConfig.js';
import { packageVersion } from '../version.js';
import { EXIT_OK, type CliIo } from './io.js';

export async function runOpenApi(options: LoadConfigOptions, io: CliIo): Promise<number> {
  const config = await loadConfig(options);
  const doc = buildOpenApiDocument({
    version: packageVersion(),
    publicUrl: config.public_url,
    auth: config.iss !== null,
    writeScope: config.write_scope !== null,
    rmfWebRoutes: config.rmf_web_routes,
  });
  io.stdout(`${JSON.stringify(doc, null, 2)}\n`);
  return EXIT_OK;
}
