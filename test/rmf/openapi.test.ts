import test from 'ava';
import { z } from 'zod';
import { OpenAPIRegistry, OpenApiGeneratorV31, extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';

// zod v4 gives each schema its methods when it is created: extend zod before the schemas load.
extendZodWithOpenApi(z);
const { taskSpecSchema } = await import('../../src/rmf/taskSpecSchema.js');
const {
  cleanDescriptionSchema,
  composeDescriptionSchema,
  deliveryDescriptionSchema,
  patrolDescriptionSchema,
} = await import('../../src/rmf/taskDescriptionSchemas.js');

test('the task schema and the built-in descriptions can be published in OpenAPI, with their descriptions', (t) => {
  const registry = new OpenAPIRegistry();
  registry.register('TaskSpec', taskSpecSchema);
  registry.register('PatrolDescription', patrolDescriptionSchema);
  registry.register('DeliveryDescription', deliveryDescriptionSchema);
  registry.register('CleanDescription', cleanDescriptionSchema);
  registry.register('ComposeDescription', composeDescriptionSchema);
  const doc = new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: { title: 'test', version: '1' },
  });
  const text = JSON.stringify(doc.components?.schemas);
  t.regex(text, /The RMF request sent at each occurrence/);
  t.regex(text, /How many times to patrol the places/);
  const spec = doc.components?.schemas?.TaskSpec as {
    oneOf: Array<{ properties: { request: { properties: { priority: unknown } } } }>;
  };
  t.deepEqual(spec.oneOf[0]?.properties.request.properties.priority, {
    type: 'object',
    properties: {
      type: { type: 'string', enum: ['binary'] },
      value: {
        anyOf: [
          { type: 'number', enum: [0] },
          { type: 'number', enum: [1] },
        ],
      },
    },
    required: ['type', 'value'],
    additionalProperties: {},
    description: 'RMF binary priority: {type: "binary", value: 0|1}; 1 = high.',
  });
});

test("the task schema converts to JSON Schema with zod's own converter too", (t) => {
  const schema = z.toJSONSchema(taskSpecSchema, { unrepresentable: 'any' }) as {
    oneOf?: unknown[];
    anyOf?: unknown[];
  };
  t.is((schema.oneOf ?? schema.anyOf)?.length, 2);
});
