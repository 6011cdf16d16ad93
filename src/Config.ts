/**
 * The shape of the service's effective configuration (snake_case keys, as in the original
 * service's config module and as ROS parameters/launch arguments name them). src/config.ts builds
 * it: defaults ← RMF_TASK_SCHEDULER_CONFIG module ← environment ← command-line flags ← ROS
 * parameters, validated, frozen.
 */
import type { LogLevel } from './log.js';

export type RmfTransportChoice = 'auto' | 'ros' | 'sim';

export interface RmfConfig {
  /** auto: ROS 2 if rclnodejs loads, else the simulated dispatcher (said loudly). */
  transport: RmfTransportChoice;
  /** Relative names, resolved in the node's namespace (RMF_INTERFACE.md §1). */
  requests_topic: string; // 'task_api_requests'
  responses_topic: string; // 'task_api_responses'
  task_state_topic: string; // 'task_state_update'
  /** Follow task_state_update (Kilted+) and record states on firings. */
  follow_task_states: boolean;
  /** KEEP_LAST depth of the request publisher and response subscription (RELIABLE, TRANSIENT_LOCAL). */
  qos_depth: number;
  /** Wait this long for RMF's answer; an acknowledge (type 1) restarts the wait. */
  dispatch_timeout_ms: number;
  /** `requester` of every task request. */
  requester: string;
  /** Follow the dispatcher's dispatch_states and record on firings which fleet got the task. */
  follow_dispatch_states: boolean;
  dispatch_states_topic: string; // 'dispatch_states'
  /**
   * Ask RMF to cancel a task sent ahead of time (lead time) whose occurrence or rule the operator
   * disables, deletes or moves before it starts.
   */
  cancel_withdrawn: boolean;
  /** The dispatcher's legacy cancel service (rmf_task_msgs/srv/CancelTask). */
  cancel_service: string; // 'cancel_task'
  /** Wait this long for each cancel answer (the dispatcher's service, then a fleet adapter). */
  cancel_timeout_ms: number;
  /**
   * The simulated dispatcher (transport sim, or auto without ROS 2) plays an RMF site: the task
   * categories its fleets accept (default RMF's built-in patrol, delivery, clean, compose) ...
   */
  sim_categories: string[];
  /** ... the robots that exist, as `fleet/robot` (default one demo fleet: tinyRobot/tinyRobot1, tinyRobot/tinyRobot2) ... */
  sim_robots: string[];
  /** ... and, for failure drills, labels whose requests it never answers ... */
  sim_silent_labels: string[];
  /** ... or answers `sim_slow_ms` late. */
  sim_slow_labels: string[];
  sim_slow_ms: number;
}

export interface RosConfig {
  node_name: string; // 'task_scheduler'
  namespace: string; // '' = from --ros-args or root
}

export interface Config {
  host: string; // '127.0.0.1'
  port: number; // 8010
  /** sqlite:<path> | sqlite::memory: | postgres://… | mysql://… | mariadb://… */
  db_url: string;
  /** Default IANA zone of rules that name none (default: the host's). */
  timezone: string;
  public_url: string | null;
  log_level: LogLevel;
  /** PEM public key (RS256/ES256) for Bearer JWTs; auth is on when `iss` is set. */
  jwt_public_key: string | null;
  iss: string | null;
  aud: string | null;
  oidc_url: string | null;
  /** The OpenID Connect client the operator console signs in as (authorization code + PKCE). */
  console_client_id: string | null;
  /**
   * With auth on: the scope (OAuth2 `scope` / `scp`) or role (Keycloak `realm_access.roles`,
   * `resource_access.<aud>.roles`) a token needs to change anything; tokens without it may only
   * read (403 on writes). Null: every valid token may write.
   */
  write_scope: string | null;
  /** With auth on, serve GET /metrics without a token (for a Prometheus server); default false. */
  metrics_public: boolean;
  /**
   * Serve rmf-web's `/scheduled_tasks` routes (its dashboard schedules through them unchanged);
   * default true.
   */
  rmf_web_routes: boolean;
  /** Allowed CORS origins ('*' allowed); empty = no CORS headers. */
  cors_origins: string[];
  /** Max JSON body in bytes (default 1 MiB). */
  body_limit: number;
  /** Identifies this process in firing rows and heartbeats (default: hostname, pid and a token). */
  replica_id: string;
  /** How often this replica records its heartbeat in the store. */
  heartbeat_interval_ms: number;
  /** A replica silent this long is overdue: another one takes its claims over. */
  replica_overdue_ms: number;
  /** Default misfire policy of rules that name none. */
  misfire_policy: 'fire_once' | 'skip';
  misfire_grace_ms: number;
  /** How often to poll the store for rule changes made by other replicas. */
  sync_interval_ms: number;
  rmf: RmfConfig;
  ros: RosConfig;
}
