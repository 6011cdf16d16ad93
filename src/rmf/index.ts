export { parseTaskSpec, taskSpecSchema, taskRequestSpecSchema, prioritySchema } from './taskSpecSchema.js';
export {
  TASK_DESCRIPTIONS,
  patrolDescriptionSchema,
  deliveryDescriptionSchema,
  cleanDescriptionSchema,
  composeDescriptionSchema,
} from './taskDescriptionSchemas.js';
export { buildApiRequest, newRequestId, requestLabels, type BuildRequestArgs } from './buildRequest.js';
export { readAnswer, readTaskStateUpdate, summarizeErrors, type AnswerReading } from './readResponse.js';
export {
  createPendingRequests,
  API_RESPONSE_ACKNOWLEDGE,
  API_RESPONSE_RESPONDING,
  API_RESPONSE_UNINITIALIZED,
  type PendingRequests,
  type ResponseVerdict,
} from './pendingRequests.js';
export {
  createSimulatedDispatcher,
  type SimulatedDispatcher,
  type RequestMatch,
  type SimulatedRequest,
} from './simulatedDispatcher.js';
export type { RmfError } from './simulatedAnswers.js';
export type { LogSink } from './logSink.js';
