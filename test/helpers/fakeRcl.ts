/**
 * An in-memory stand-in for rclnodejs + DDS, implementing src/ros/rclSurface.ts. One FakeRos is
 * one ROS graph (a DDS domain); each `fake.rclnodejs()` is the module as one process sees it
 * (its own default context), so a test can run our node and a stand-in RMF node side by side.
 *
 * It behaves the way the real stack does where our code depends on it:
 * - delivery is asynchronous (never inside publish()), and only to nodes that spin;
 * - names: relative names resolve in the node's namespace, `~/x` under the node, `--ros-args
 *   -r` remaps node name, namespace and topics; publisher.topic is the resolved name;
 * - QoS request/offered matching: a BEST_EFFORT writer does not reach a RELIABLE reader, a
 *   VOLATILE writer does not reach a TRANSIENT_LOCAL reader (recorded as incompatibilities,
 *   nothing delivered); a TRANSIENT_LOCAL writer keeps its last `depth` messages and replays
 *   them to TRANSIENT_LOCAL readers that join later; a reader keeps at most `depth` undelivered
 *   messages (KEEP_LAST);
 * - messages are built from the real .msg definitions (missing fields → defaults, int64 →
 *   bigint, wrong types throw), and an unknown type fails like a missing generated package;
 * - parameters come from `--ros-args -p [node:]name:=value` (integers as bigint) and are
 *   returned by declareParameter in place of the declared value; logs go to `rosout`.
 */
import type {
  RclEntityOptions,
  RclLogging,
  RclModule,
  RclNode,
  RclParameter,
  RclPublisher,
  RclQoS,
  RclServiceResponse,
  RclSubscription,
  RosMessageName,
  RosMessages,
  RosServiceName,
  RosServices,
} from '../../src/ros/rclSurface.js';
import { ParameterType } from '../../src/ros/rclSurface.js';
import {
  expandName,
  normalizeNamespace,
  parseRosArgs,
  validateFullName,
  type RosArgs,
} from './fakeRclArgs.js';
import { loadInterfaceRegistry, type InterfaceRegistry } from './fakeRclInterfaces.js';

// ---------------------------------------------------------------------------------------------
// QoS

const HistoryPolicy = {
  RMW_QOS_POLICY_HISTORY_SYSTEM_DEFAULT: 0,
  RMW_QOS_POLICY_HISTORY_KEEP_LAST: 1,
  RMW_QOS_POLICY_HISTORY_KEEP_ALL: 2,
} as const;
const ReliabilityPolicy = {
  RMW_QOS_POLICY_RELIABILITY_SYSTEM_DEFAULT: 0,
  RMW_QOS_POLICY_RELIABILITY_RELIABLE: 1,
  RMW_QOS_POLICY_RELIABILITY_BEST_EFFORT: 2,
} as const;
const DurabilityPolicy = {
  RMW_QOS_POLICY_DURABILITY_SYSTEM_DEFAULT: 0,
  RMW_QOS_POLICY_DURABILITY_TRANSIENT_LOCAL: 1,
  RMW_QOS_POLICY_DURABILITY_VOLATILE: 2,
} as const;

export class FakeQoS implements RclQoS {
  static readonly HistoryPolicy = HistoryPolicy;
  static readonly ReliabilityPolicy = ReliabilityPolicy;
  static readonly DurabilityPolicy = DurabilityPolicy;
  liveliness = 0;
  avoidRosNameSpaceConventions = false;
  constructor(
    public history: number = HistoryPolicy.RMW_QOS_POLICY_HISTORY_SYSTEM_DEFAULT,
    public depth: number = 0,
    private readonly reliabilityPolicy: number = ReliabilityPolicy.RMW_QOS_POLICY_RELIABILITY_SYSTEM_DEFAULT,
    public durability: number = DurabilityPolicy.RMW_QOS_POLICY_DURABILITY_SYSTEM_DEFAULT,
  ) {}
  reliability(): number {
    return this.reliabilityPolicy;
  }
}

export interface EffectiveQoS {
  reliable: boolean;
  transientLocal: boolean;
  /** KEEP_LAST depth (Infinity for KEEP_ALL). */
  depth: number;
}

/** What the RMW makes of a QoS option (profiles as rmw's defaults: KEEP_LAST 10, RELIABLE, VOLATILE). */
export function effectiveQoS(qos: RclQoS | string | undefined): EffectiveQoS {
  if (qos === undefined || typeof qos === 'string') {
    if (qos === 'qos_profile_sensor_data') return { reliable: false, transientLocal: false, depth: 5 };
    if (qos === 'qos_profile_parameter_events') return { reliable: true, transientLocal: false, depth: 1000 };
    return { reliable: true, transientLocal: false, depth: 10 };
  }
  if (!(qos instanceof FakeQoS)) throw new TypeError('qos must be a QoS object or a profile name');
  const keepAll = qos.history === HistoryPolicy.RMW_QOS_POLICY_HISTORY_KEEP_ALL;
  return {
    reliable: qos.reliability() !== ReliabilityPolicy.RMW_QOS_POLICY_RELIABILITY_BEST_EFFORT,
    transientLocal: qos.durability === DurabilityPolicy.RMW_QOS_POLICY_DURABILITY_TRANSIENT_LOCAL,
    depth: keepAll ? Infinity : qos.depth > 0 ? qos.depth : 10,
  };
}

// ---------------------------------------------------------------------------------------------
// Parameters

export class FakeParameter implements RclParameter {
  constructor(
    readonly name: string,
    readonly type: number,
    public value: unknown = undefined,
  ) {
    if (type === ParameterType.PARAMETER_INTEGER && value !== undefined) this.value = BigInt(value as number);
    if (!validParameterValue(this.value, type)) {
      throw new TypeError(`Parameter ${name}: value ${String(this.value)} does not match type ${type}`);
    }
  }
}

function validParameterValue(value: unknown, type: number): boolean {
  if (value === null || value === undefined) return type === ParameterType.PARAMETER_NOT_SET;
  const all = (check: (v: unknown) => boolean) => Array.isArray(value) && value.every(check);
  switch (type) {
    case ParameterType.PARAMETER_BOOL:
      return typeof value === 'boolean';
    case ParameterType.PARAMETER_INTEGER:
      return typeof value === 'bigint';
    case ParameterType.PARAMETER_DOUBLE:
      return typeof value === 'number';
    case ParameterType.PARAMETER_STRING:
      return typeof value === 'string';
    case ParameterType.PARAMETER_BOOL_ARRAY:
      return all((v) => typeof v === 'boolean');
    case ParameterType.PARAMETER_INTEGER_ARRAY:
      return all((v) => typeof v === 'bigint');
    case ParameterType.PARAMETER_DOUBLE_ARRAY:
      return all((v) => typeof v === 'number');
    case ParameterType.PARAMETER_STRING_ARRAY:
      return all((v) => typeof v === 'string');
    default:
      return false;
  }
}

function parameterTypeOf(value: unknown): number {
  if (typeof value === 'boolean') return ParameterType.PARAMETER_BOOL;
  if (typeof value === 'bigint') return ParameterType.PARAMETER_INTEGER;
  if (typeof value === 'number') return ParameterType.PARAMETER_DOUBLE;
  if (typeof value === 'string') return ParameterType.PARAMETER_STRING;
  if (Array.isArray(value)) {
    const first: unknown = value[0];
    if (typeof first === 'boolean') return ParameterType.PARAMETER_BOOL_ARRAY;
    if (typeof first === 'bigint') return ParameterType.PARAMETER_INTEGER_ARRAY;
    if (typeof first === 'number') return ParameterType.PARAMETER_DOUBLE_ARRAY;
    return ParameterType.PARAMETER_STRING_ARRAY;
  }
  return ParameterType.PARAMETER_NOT_SET;
}

// ---------------------------------------------------------------------------------------------
// The graph

export interface QoSIncompatibility {
  topic: string;
  policy: 'RELIABILITY' | 'DURABILITY' | 'TYPE';
  writer: string;
  reader: string;
}

export interface RosoutLine {
  node: string;
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
}

/** The node an endpoint belongs to. */
interface Owner {
  readonly fullName: string;
  readonly spinning: boolean;
}

interface Writer {
  id: number;
  node: Owner;
  topic: string;
  type: string;
  qos: EffectiveQoS;
  history: Record<string, unknown>[];
  alive: boolean;
}

interface Reader {
  id: number;
  node: Owner;
  topic: string;
  type: string;
  qos: EffectiveQoS;
  callback: (message: never) => void;
  inbox: Record<string, unknown>[];
  alive: boolean;
}

interface Server {
  node: Owner;
  name: string;
  type: string;
  callback: (request: never, response: RclServiceResponse<never>) => void;
  alive: boolean;
}

export interface FakeRos {
  /** rclnodejs as one process sees it (its own default context). */
  rclnodejs(): FakeRclModule;
  /** Resolves once every message in flight has been delivered (and callbacks have run). */
  flush(): Promise<void>;
  /** Calls a service like `ros2 service call` (a fresh client, default QoS). */
  callService<K extends RosServiceName>(
    name: string,
    type: K,
    request: RosServices[K]['request'],
  ): Promise<RosServices[K]['response']>;
  /** Writer/reader pairs that did not match because of their QoS or type. */
  readonly incompatibilities: QoSIncompatibility[];
  readonly rosout: RosoutLine[];
  /** Resolved names of every live node ("/ns/name"). */
  nodeNames(): string[];
  /** Topics with their types and endpoint counts. */
  topics(): Array<{ name: string; type: string; publishers: number; subscriptions: number }>;
  services(): Array<{ name: string; type: string }>;
  readonly interfaces: InterfaceRegistry;
}

export interface FakeRclModule extends RclModule {
  /** The argv given to init(). */
  readonly argv: readonly string[];
  readonly signalHandlersRemoved: boolean;
}

export function createFakeRos(options: { interfaces?: InterfaceRegistry } = {}): FakeRos {
  const interfaces = options.interfaces ?? loadInterfaceRegistry();
  const writers: Writer[] = [];
  const readers: Reader[] = [];
  const servers: Server[] = [];
  const nodes = new Set<FakeNode>();
  const incompatibilities: QoSIncompatibility[] = [];
  const rosout: RosoutLine[] = [];
  let nextId = 1;
  let inFlight = 0;

  const clone = <T>(v: T): T => structuredClone(v);

  function matches(w: Writer, r: Reader): boolean {
    if (w.topic !== r.topic) return false;
    const record = (policy: QoSIncompatibility['policy']) => {
      incompatibilities.push({ topic: w.topic, policy, writer: w.node.fullName, reader: r.node.fullName });
      return false;
    };
    if (w.type !== r.type) return record('TYPE');
    if (r.qos.reliable && !w.qos.reliable) return record('RELIABILITY');
    if (r.qos.transientLocal && !w.qos.transientLocal) return record('DURABILITY');
    return true;
  }

  function deliver(r: Reader, message: Record<string, unknown>): void {
    inFlight++;
    setImmediate(() => {
      inFlight--;
      if (!r.alive) return;
      r.inbox.push(clone(message));
      while (r.inbox.length > r.qos.depth) r.inbox.shift();
      drain(r);
    });
  }

  function drain(r: Reader): void {
    if (!r.node.spinning) return;
    while (r.alive && r.inbox.length > 0) {
      const m = r.inbox.shift();
      (r.callback as (m: unknown) => void)(m);
    }
  }

  class FakeNode implements RclNode {
    readonly fullName: string;
    spinning = false;
    alive = true;
    private readonly parameters = new Map<string, RclParameter>();
    private readonly overrides = new Map<string, RclParameter>();
    private readonly logger: RclLogging;

    constructor(
      private readonly nodeName: string,
      private readonly ns: string,
      private readonly args: RosArgs,
    ) {
      this.fullName = ns === '/' ? `/${nodeName}` : `${ns}/${nodeName}`;
      for (const p of args.params) {
        if (p.node === null || p.node === nodeName)
          this.overrides.set(p.name, new FakeParameter(p.name, parameterTypeOf(p.value), p.value));
      }
      const log = (level: RosoutLine['level']) => (message: string) => {
        if (typeof message !== 'string') throw new TypeError('message must be a string');
        rosout.push({ node: this.fullName, level, message });
        return true;
      };
      this.logger = { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
    }

    name(): string {
      return this.nodeName;
    }
    namespace(): string {
      return this.ns;
    }
    getLogger(): RclLogging {
      return this.logger;
    }

    private live(): void {
      if (!this.alive) throw new Error(`node ${this.fullName} has been destroyed`);
    }

    resolve(name: string): string {
      const expanded = expandName(name, this.nodeName, this.ns);
      for (const rule of this.args.remaps) {
        if (rule.from.startsWith('__') || (rule.node !== null && rule.node !== this.nodeName)) continue;
        if (expandName(rule.from, this.nodeName, this.ns) === expanded)
          return expandName(rule.to, this.nodeName, this.ns);
      }
      return expanded;
    }

    private checkType(typeClass: string): void {
      if (!interfaces.has(typeClass))
        throw new TypeError(`The message required does not exist: ${typeClass}`);
    }

    createPublisher<K extends RosMessageName>(
      typeClass: K,
      topic: string,
      options?: RclEntityOptions,
    ): RclPublisher<RosMessages[K]> {
      this.live();
      this.checkType(typeClass);
      const w: Writer = {
        id: nextId++,
        node: this,
        topic: this.resolve(topic),
        type: typeClass,
        qos: effectiveQoS(options?.qos),
        history: [],
        alive: true,
      };
      writers.push(w);
      const nodeAlive = () => this.alive;
      return {
        topic: w.topic,
        publish(message: RosMessages[K]): void {
          if (!w.alive || !nodeAlive()) throw new Error(`publisher of ${w.topic} has been destroyed`);
          const msg = interfaces.toMessage(typeClass, message);
          if (w.qos.transientLocal) {
            w.history.push(msg);
            while (w.history.length > w.qos.depth) w.history.shift();
          }
          for (const r of readers) if (r.alive && matches(w, r)) deliver(r, msg);
        },
      };
    }

    createSubscription<K extends RosMessageName>(
      typeClass: K,
      topic: string,
      options: RclEntityOptions,
      callback: (message: RosMessages[K]) => void,
    ): RclSubscription {
      this.live();
      this.checkType(typeClass);
      if (typeof callback !== 'function') throw new TypeError('callback must be a function');
      const r: Reader = {
        id: nextId++,
        node: this,
        topic: this.resolve(topic),
        type: typeClass,
        qos: effectiveQoS(options.qos),
        callback: callback as (message: never) => void,
        inbox: [],
        alive: true,
      };
      readers.push(r);
      for (const w of writers) {
        if (!w.alive || !matches(w, r)) continue;
        if (r.qos.transientLocal) for (const m of w.history) deliver(r, m);
      }
      return { topic: r.topic };
    }

    createService<K extends RosServiceName>(
      typeClass: K,
      serviceName: string,
      _options: RclEntityOptions,
      callback: (
        request: RosServices[K]['request'],
        response: RclServiceResponse<RosServices[K]['response']>,
      ) => void,
    ): unknown {
      this.live();
      this.checkType(typeClass);
      const name = this.resolve(serviceName);
      if (servers.some((s) => s.alive && s.name === name))
        throw new Error(`a service named ${name} already exists`);
      const server: Server = {
        node: this,
        name,
        type: typeClass,
        callback: callback as Server['callback'],
        alive: true,
      };
      servers.push(server);
      return { serviceName: name };
    }

    declareParameter(parameter: RclParameter): RclParameter {
      this.live();
      if (this.parameters.has(parameter.name))
        throw new Error(`Parameter(${parameter.name}) already declared.`);
      const chosen = this.overrides.get(parameter.name) ?? parameter;
      this.parameters.set(chosen.name, chosen);
      return chosen;
    }
    getParameter(name: string): RclParameter {
      return this.parameters.get(name) ?? new FakeParameter(name, ParameterType.PARAMETER_NOT_SET);
    }
    getParameters(names: string[] = []): RclParameter[] {
      return names.length === 0 ? [...this.parameters.values()] : names.map((n) => this.getParameter(n));
    }
    getParameterOverrides(): RclParameter[] {
      return [...this.overrides.values()];
    }

    spin(): void {
      this.live();
      if (this.spinning) throw new Error('The node is already spinning.');
      this.spinning = true;
      for (const r of readers) if (r.node === this) setImmediate(() => drain(r));
    }

    destroy(): void {
      if (!this.alive) return;
      this.alive = false;
      this.spinning = false;
      for (const w of writers) if (w.node === this) w.alive = false;
      for (const r of readers) if (r.node === this) r.alive = false;
      for (const s of servers) if (s.node === this) s.alive = false;
      nodes.delete(this);
    }
  }

  function rclnodejs(): FakeRclModule {
    let state: 'uninitialized' | 'initialized' | 'shutdown' = 'uninitialized';
    let args: RosArgs = { remaps: [], params: [] };
    let argv: readonly string[] = [];
    let handlersRemoved = false;
    const own = new Set<FakeNode>();
    return {
      get argv() {
        return argv;
      },
      get signalHandlersRemoved() {
        return handlersRemoved;
      },
      async init(_context: undefined, given: string[]): Promise<void> {
        if (state !== 'uninitialized') throw new Error('The context has already been initialized.');
        args = parseRosArgs(given);
        argv = [...given];
        state = 'initialized';
      },
      createNode(nodeName: string, namespace = ''): RclNode {
        if (state !== 'initialized') throw new Error('The context is not initialized (call init first).');
        const nameRule = args.remaps.find(
          (r) => r.from === '__node' && (r.node === null || r.node === nodeName),
        );
        const nsRule = args.remaps.find((r) => r.from === '__ns' && (r.node === null || r.node === nodeName));
        const name = nameRule?.to ?? nodeName;
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`rcl: invalid node name "${name}"`);
        const ns = normalizeNamespace(nsRule?.to ?? namespace);
        validateFullName(ns, 'namespace');
        const node = new FakeNode(name, ns, args);
        nodes.add(node);
        own.add(node);
        return node;
      },
      shutdown(): void {
        if (state !== 'initialized') throw new Error('The context is not initialized.');
        for (const n of own) n.destroy();
        state = 'shutdown';
      },
      isShutdown(): boolean {
        return state !== 'initialized';
      },
      removeSignalHandlers(): void {
        handlersRemoved = true;
      },
      require(name: string): object {
        if (!interfaces.has(name)) throw new TypeError(`The message required does not exist: ${name}`);
        return { name };
      },
      QoS: FakeQoS,
      Parameter: FakeParameter,
    };
  }

  async function flush(): Promise<void> {
    // Deliveries may trigger further publishes (a stand-in answering), so wait for quiet.
    for (let quiet = 0; quiet < 3;) {
      await new Promise<void>((done) => setImmediate(done));
      quiet = inFlight === 0 ? quiet + 1 : 0;
    }
  }

  async function callService<K extends RosServiceName>(
    name: string,
    type: K,
    request: RosServices[K]['request'],
  ): Promise<RosServices[K]['response']> {
    const full = expandName(name, 'ros2cli', '/');
    const server = servers.find((s) => s.alive && s.name === full);
    if (!server) throw new Error(`service ${full} not available`);
    if (server.type !== type) throw new Error(`service ${full} has type ${server.type}, not ${type}`);
    const req = interfaces.toMessage(`${type}_Request`, request);
    return new Promise((resolve, reject) => {
      setImmediate(() => {
        if (!server.node.spinning) {
          reject(new Error(`the node serving ${full} is not spinning`));
          return;
        }
        let sent = false;
        const response: RclServiceResponse<unknown> = {
          send(value) {
            if (sent) throw new Error('response already sent');
            sent = true;
            try {
              resolve(
                interfaces.toMessage(`${type}_Response`, value) as unknown as RosServices[K]['response'],
              );
            } catch (e) {
              reject(e as Error);
            }
          },
        };
        (server.callback as (r: unknown, s: RclServiceResponse<unknown>) => void)(req, response);
      });
    });
  }

  return {
    rclnodejs,
    flush,
    callService,
    incompatibilities,
    rosout,
    interfaces,
    nodeNames: () => [...nodes].map((n) => n.fullName).sort(),
    topics: () => {
      const names = [
        ...new Set([...writers, ...readers].filter((e) => e.alive).map((e) => `${e.topic} ${e.type}`)),
      ];
      return names.sort().map((key) => {
        const [name = '', type = ''] = key.split(' ');
        return {
          name,
          type,
          publishers: writers.filter((w) => w.alive && w.topic === name && w.type === type).length,
          subscriptions: readers.filter((r) => r.alive && r.topic === name && r.type === type).length,
        };
      });
    },
    services: () => servers.filter((s) => s.alive).map((s) => ({ name: s.name, type: s.type })),
  };
}

/**
 * Like `ros2 topic echo`: a separate process subscribing to `topic` with RELIABLE and the given
 * durability (KEEP_LAST `depth`); returns the list that fills up as messages arrive.
 */
export async function echo<K extends RosMessageName>(
  ros: FakeRos,
  type: K,
  topic: string,
  options: { durability?: 'transient_local' | 'volatile'; depth?: number } = {},
): Promise<Array<RosMessages[K]>> {
  const rcl = ros.rclnodejs();
  await rcl.init(undefined, ['ros2', 'topic', 'echo']);
  const node = rcl.createNode(`echo_${Math.random().toString(36).slice(2, 10)}`);
  const durability =
    options.durability === 'transient_local'
      ? DurabilityPolicy.RMW_QOS_POLICY_DURABILITY_TRANSIENT_LOCAL
      : DurabilityPolicy.RMW_QOS_POLICY_DURABILITY_VOLATILE;
  const qos = new FakeQoS(
    HistoryPolicy.RMW_QOS_POLICY_HISTORY_KEEP_LAST,
    options.depth ?? 10,
    ReliabilityPolicy.RMW_QOS_POLICY_RELIABILITY_RELIABLE,
    durability,
  );
  const seen: Array<RosMessages[K]> = [];
  const subscribe = node.createSubscription as unknown as (
    type: K,
    topic: string,
    options: RclEntityOptions,
    callback: (m: RosMessages[K]) => void,
  ) => RclSubscription;
  subscribe.call(node, type, topic, { qos }, (m) => seen.push(m));
  node.spin();
  return seen;
}
