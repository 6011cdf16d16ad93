import type { Config } from '../../src/Config.js';

/** A complete Config with the documented defaults (tests of the ROS side only). */
export const sampleConfig = (): Config => ({
  host: '127.0.0.1',
  port: 8010,
  db_url: 'sqlite:rmf-task-scheduler.sqlite',
  timezone: 'Europe/Berlin',
  public_url: null,
  log_level: 'info',
  jwt_public_key: null,
  iss: null,
  aud: null,
  oidc_url: null,
  cors_origins: [],
  body_limit: 1_048_576,
  replica_id: 'host-1234',
  misfire_policy: 'fire_once',
  misfire_grace_ms: 300_000,
  sync_interval_ms: 2000,
  rmf: {
    transport: 'auto',
    requests_topic: 'task_api_requests',
    responses_topic: 'task_api_responses',
    task_state_topic: 'task_state_update',
    follow_task_states: false,
    qos_depth: 10,
    dispatch_timeout_ms: 5000,
    requester: 'rmf_task_scheduler',
  },
  ros: { node_name: 'task_scheduler', namespace: '' },
});
