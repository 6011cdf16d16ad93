/**
 * The small part of rclnodejs (2.x) this project uses, typed by us. Nothing outside src/ros/
 * sees rclnodejs; inside, code is written against these types, so it compiles and is tested
 * without rclnodejs installed (test/helpers/fakeRcl.ts implements the same surface in memory).
 * test/ros/rclSurface.types.test.ts checks these types against rclnodejs's own declarations.
 *
 * Message types are looked up by their ROS type name in RosInterfaces, which lists every
 * interface the node publishes, subscribes to or serves.
 */
import type { ApiRequestMsg, ApiResponseMsg } from '../runtime/ports.js';
import type {
  CancelTaskRequestMsg,
  CancelTaskResponseMsg,
  ClockMsg,
  DispatchStatesMsg,
  ListRulesRequestMsg,
  ListRulesResponseMsg,
  RuleListMsg,
  SchedulerEventMsg,
  SetRuleEnabledRequestMsg,
  SetRuleEnabledResponseMsg,
  StdStringMsg,
  TriggerRuleRequestMsg,
  TriggerRuleResponseMsg,
} from './messages.js';

/** Messages by ROS type name (`<package>/msg/<Name>`), as rclnodejs represents them in JS. */
export interface RosMessages {
  'rmf_task_msgs/msg/ApiRequest': ApiRequestMsg;
  'rmf_task_msgs/msg/ApiResponse': ApiResponseMsg;
  'std_msgs/msg/String': StdStringMsg;
  'rmf_task_scheduler/msg/SchedulerEvent': SchedulerEventMsg;
  'rmf_task_scheduler/msg/RuleList': RuleListMsg;
  'rmf_task_msgs/msg/DispatchStates': DispatchStatesMsg;
  'rosgraph_msgs/msg/Clock': ClockMsg;
}
export type RosMessageName = keyof RosMessages;

/** Services by ROS type name (`<package>/srv/<Name>`). */
export interface RosServices {
  'rmf_task_scheduler/srv/TriggerRule': { request: TriggerRuleRequestMsg; response: TriggerRuleResponseMsg };
  'rmf_task_scheduler/srv/SetRuleEnabled': {
    request: SetRuleEnabledRequestMsg;
    response: SetRuleEnabledResponseMsg;
  };
  'rmf_task_scheduler/srv/ListRules': { request: ListRulesRequestMsg; response: ListRulesResponseMsg };
  'rmf_task_msgs/srv/CancelTask': { request: CancelTaskRequestMsg; response: CancelTaskResponseMsg };
}
export type RosServiceName = keyof RosServices;

// ---------------------------------------------------------------------------------------------
// QoS: `new rclnodejs.QoS(history, depth, reliability, durability)`, policies named as rclnodejs
// names them (QoS.HistoryPolicy.RMW_QOS_POLICY_HISTORY_KEEP_LAST, …).

/**
 * A QoS object made by `new rcl.QoS(…)`; opaque to our code, which only passes it back to
 * rclnodejs. Its members mirror rclnodejs's declaration of the class (which declares
 * `reliability()` as a method, though at runtime it is a getter; nothing here reads it).
 */
export interface RclQoS {
  history: number;
  depth: number;
  reliability(): number;
  durability: number;
  liveliness: number;
  avoidRosNameSpaceConventions: boolean;
}

export interface RclHistoryPolicies {
  readonly RMW_QOS_POLICY_HISTORY_SYSTEM_DEFAULT: number;
  readonly RMW_QOS_POLICY_HISTORY_KEEP_LAST: number;
  readonly RMW_QOS_POLICY_HISTORY_KEEP_ALL: number;
}
export interface RclReliabilityPolicies {
  readonly RMW_QOS_POLICY_RELIABILITY_SYSTEM_DEFAULT: number;
  readonly RMW_QOS_POLICY_RELIABILITY_RELIABLE: number;
  readonly RMW_QOS_POLICY_RELIABILITY_BEST_EFFORT: number;
}
export interface RclDurabilityPolicies {
  readonly RMW_QOS_POLICY_DURABILITY_SYSTEM_DEFAULT: number;
  readonly RMW_QOS_POLICY_DURABILITY_TRANSIENT_LOCAL: number;
  readonly RMW_QOS_POLICY_DURABILITY_VOLATILE: number;
}

export interface RclQoSClass {
  new (history?: number, depth?: number, reliability?: number, durability?: number): RclQoS;
  readonly HistoryPolicy: RclHistoryPolicies;
  readonly ReliabilityPolicy: RclReliabilityPolicies;
  readonly DurabilityPolicy: RclDurabilityPolicies;
}

/** Options of createPublisher / createSubscription / createService (rclnodejs `Options`). */
export interface RclEntityOptions {
  qos?: RclQoS | string;
}

// ---------------------------------------------------------------------------------------------
// Parameters

/** rclnodejs's ParameterType values (a const enum in its declarations; checked by the type test). */
export const ParameterType = {
  PARAMETER_NOT_SET: 0,
  PARAMETER_BOOL: 1,
  PARAMETER_INTEGER: 2,
  PARAMETER_DOUBLE: 3,
  PARAMETER_STRING: 4,
  PARAMETER_BYTE_ARRAY: 5,
  PARAMETER_BOOL_ARRAY: 6,
  PARAMETER_INTEGER_ARRAY: 7,
  PARAMETER_DOUBLE_ARRAY: 8,
  PARAMETER_STRING_ARRAY: 9,
} as const;
export type ParameterTypeValue = (typeof ParameterType)[keyof typeof ParameterType];

/**
 * A parameter. Values as rclnodejs holds them: boolean, bigint (INTEGER), number (DOUBLE),
 * string, or arrays of those.
 */
export interface RclParameter {
  readonly name: string;
  readonly type: number;
  value: unknown;
}
export interface RclParameterClass {
  new (name: string, type: number, value?: unknown): RclParameter;
}
/** What `ros2 param describe` shows; a read-only parameter refuses `ros2 param set`. */
export interface RclParameterDescriptor {
  readonly name: string;
  readonly type: number;
  readonly description: string;
  readonly readOnly: boolean;
}
export interface RclParameterDescriptorClass {
  new (name: string, type: number, description?: string, readOnly?: boolean): RclParameterDescriptor;
}

// ---------------------------------------------------------------------------------------------
// Entities

export interface RclPublisher<M> {
  readonly topic: string;
  publish(message: M): void;
}

export interface RclSubscription {
  readonly topic: string;
}

/** The second argument of a service callback: `send` the response (may be called later). */
export interface RclServiceResponse<R> {
  send(response: R): void;
}

/** A node's logger: lines go to the console and to /rosout. */
export interface RclLogging {
  debug(message: string): unknown;
  info(message: string): unknown;
  warn(message: string): unknown;
  error(message: string): unknown;
}

/** An intersection of function types: TypeScript resolves calls to it like overloads. */
type Overloads<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;

/**
 * One signature per message/service type (rather than one generic signature), so that each
 * can be checked against rclnodejs's generic declarations with its concrete message type.
 */
export type CreatePublisher = Overloads<
  {
    [K in RosMessageName]: (
      typeClass: K,
      topic: string,
      options?: RclEntityOptions,
    ) => RclPublisher<RosMessages[K]>;
  }[RosMessageName]
>;
export type CreateSubscription = Overloads<
  {
    [K in RosMessageName]: (
      typeClass: K,
      topic: string,
      options: RclEntityOptions,
      callback: (message: RosMessages[K]) => void,
    ) => RclSubscription;
  }[RosMessageName]
>;
export type CreateService = Overloads<
  {
    [K in RosServiceName]: (
      typeClass: K,
      serviceName: string,
      options: RclEntityOptions,
      callback: (
        request: RosServices[K]['request'],
        response: RclServiceResponse<RosServices[K]['response']>,
      ) => void,
    ) => unknown;
  }[RosServiceName]
>;

/** A service client (rclnodejs Client): requests go out asynchronously, answers to the callback. */
export interface RclClient<Req, Res> {
  /** Whether a server for this service is on the graph now. */
  isServiceServerAvailable(): boolean;
  sendRequest(request: Req, callback: (response: Res) => void): void;
}

export type CreateClient = Overloads<
  {
    [K in RosServiceName]: (
      typeClass: K,
      serviceName: string,
    ) => RclClient<RosServices[K]['request'], RosServices[K]['response']>;
  }[RosServiceName]
>;

export interface RclNode {
  name(): string;
  namespace(): string;
  getLogger(): RclLogging;
  createPublisher: CreatePublisher;
  createSubscription: CreateSubscription;
  createService: CreateService;
  createClient: CreateClient;
  /**
   * Declares it; a value rclnodejs found on the command line replaces the given one unless
   * `ignoreOverride` (rclnodejs reads only `/**` and bare-name entries: the node resolves its
   * parameters itself, nodeParameters.ts, and declares the values it uses).
   */
  declareParameter(
    parameter: RclParameter,
    descriptor?: RclParameterDescriptor,
    ignoreOverride?: boolean,
  ): RclParameter;
  /** Sets a declared, writable parameter (`use_sim_time` here): rclnodejs's SetParametersResult. */
  setParameter(parameter: RclParameter): { successful: boolean; reason: string | null };
  getParameter(name: string): RclParameter;
  getParameters(names?: string[]): RclParameter[];
  /** Parameters set for this node by `--ros-args -p …` (and node options), declared or not. */
  getParameterOverrides(): RclParameter[];
  /** Starts delivering callbacks (non-blocking in rclnodejs: it polls on the event loop). */
  spin(timeout?: number): void;
  destroy(): void;
}

/** The module itself (`(await import('rclnodejs')).default`). */
export interface RclModule {
  /** Initialises the default context; `argv` carries `--ros-args …` (remaps, parameters). */
  init(context: undefined, argv: string[]): Promise<void>;
  createNode(nodeName: string, namespace?: string): RclNode;
  /** Destroys every node of the default context and shuts it down. */
  shutdown(): void;
  isShutdown(): boolean;
  /** rclnodejs shuts everything down on SIGINT by itself unless told not to. */
  removeSignalHandlers(): void;
  /** Loads a generated interface class; throws when its package was not generated. */
  require(name: string): object;
  readonly QoS: RclQoSClass;
  readonly Parameter: RclParameterClass;
  readonly ParameterDescriptor: RclParameterDescriptorClass;
}
