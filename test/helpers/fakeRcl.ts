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
 * - parameters come from `--ros-args -p [node:]name:=value` and `--params-file` (integers as
 *   bigint) and are returned by declareParameter in place of the declared value, looked up as
 *   rclnodejs 2.2.0 looks them up (only `/**` and the bare node name: see fakeRclNode.ts); every
 *   node declares `use_sim_time` (rclnodejs's TimeSource); logs go to `rosout`;
 * - signals: loading rclnodejs installs a process SIGINT handler that shuts every context down
 *   (rclnodejs index.js `_sigHandler`), until `removeSignalHandlers()`; a process with no SIGINT
 *   listener left is killed by the signal (launchSignals.ts sends them as a terminal and
 *   `ros2 launch` do).
 */
import type {
  RclEntityOptions,
  RclModule,
  RclNode,
  RclServiceResponse,
  RclSubscription,
  RosMessageName,
  RosMessages,
  RosServiceName,
  RosServices,
} from '../../src/ros/rclSurface.js';
import {
  expandName,
  normalizeNamespace,
  parseRosArgs,
  validateFullName,
  type RosArgs,
} from './fakeRclArgs.js';
import { FakeGraph, type QoSIncompatibility, type RosoutLine } from './fakeRclGraph.js';
import { loadInterfaceRegistry, type InterfaceRegistry } from './fakeRclInterfaces.js';
import { FakeNode } from './fakeRclNode.js';
import { FakeParameter, FakeParameterDescriptor } from './fakeRclParameter.js';
import { DurabilityPolicy, FakeQoS, HistoryPolicy, ReliabilityPolicy } from './fakeRclQoS.js';

export { FakeQoS, FakeParameter };
export type { QoSIncompatibility, RosoutLine };

export interface FakeRos {
  /** rclnodejs as one process sees it (its own default context). */
  rclnodejs(): FakeRclModule;
  /** Resolves once every message in flight has been delivered (and callbacks have run). */
  flush(): Promise<void>;
  /** Calls a service like `ros2 service call` (a fresh client, default QoS). */
  callService<K extends RosServiceName>(
    name: string,
    type: K,
    request: Partial<RosServices[K]['request']>,
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

/** rclnodejs's own SIGINT handler: one per process, installed when the module is first loaded. */
const liveModules = new Set<() => void>();
let signalHandler: (() => void) | null = null;
let signalHandlerRemoved = false;
function installSignalHandler(): void {
  if (signalHandler !== null || signalHandlerRemoved) return;
  signalHandler = () => {
    for (const shutdown of [...liveModules]) shutdown(); // rcl.shutdownAll()
  };
  process.on('SIGINT', signalHandler);
}

export function createFakeRos(options: { interfaces?: InterfaceRegistry } = {}): FakeRos {
  const graph = new FakeGraph(options.interfaces ?? loadInterfaceRegistry());

  function rclnodejs(): FakeRclModule {
    let state: 'uninitialized' | 'initialized' | 'shutdown' = 'uninitialized';
    let args: RosArgs = { remaps: [], params: [] };
    let argv: readonly string[] = [];
    let handlersRemoved = false;
    const own = new Set<FakeNode>();
    installSignalHandler();
    const shutdownAll = () => {
      if (state !== 'initialized') return;
      for (const n of own) n.destroy();
      state = 'shutdown';
      liveModules.delete(shutdownAll);
    };
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
        liveModules.add(shutdownAll);
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
        const node = new FakeNode(graph, name, ns, args);
        graph.nodes.add(node);
        own.add(node);
        return node;
      },
      shutdown(): void {
        if (state !== 'initialized') throw new Error('The context is not initialized.');
        shutdownAll();
      },
      isShutdown(): boolean {
        return state !== 'initialized';
      },
      removeSignalHandlers(): void {
        handlersRemoved = true;
        if (signalHandler !== null) process.removeListener('SIGINT', signalHandler);
        signalHandler = null;
        signalHandlerRemoved = true;
      },
      require(name: string): object {
        if (!graph.interfaces.has(name)) throw new TypeError(`The message required does not exist: ${name}`);
        return { name };
      },
      QoS: FakeQoS,
      Parameter: FakeParameter,
      ParameterDescriptor: FakeParameterDescriptor,
    };
  }

  async function flush(): Promise<void> {
    // Deliveries may trigger further publishes (a stand-in answering), so wait for quiet.
    for (let quiet = 0; quiet < 3;) {
      await new Promise<void>((done) => setImmediate(done));
      quiet = graph.inFlight === 0 ? quiet + 1 : 0;
    }
  }

  async function callService<K extends RosServiceName>(
    name: string,
    type: K,
    request: Partial<RosServices[K]['request']>,
  ): Promise<RosServices[K]['response']> {
    const full = expandName(name, 'ros2cli', '/');
    const server = graph.servers.find((s) => s.alive && s.name === full);
    if (!server) throw new Error(`service ${full} not available`);
    if (server.type !== type) throw new Error(`service ${full} has type ${server.type}, not ${type}`);
    const req = graph.interfaces.toMessage(`${type}_Request`, request);
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
                graph.interfaces.toMessage(
                  `${type}_Response`,
                  value,
                ) as unknown as RosServices[K]['response'],
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
    incompatibilities: graph.incompatibilities,
    rosout: graph.rosout,
    interfaces: graph.interfaces,
    nodeNames: () => [...graph.nodes].map((n) => n.fullName).sort(),
    topics: () => {
      const names = [
        ...new Set(
          [...graph.writers, ...graph.readers].filter((e) => e.alive).map((e) => `${e.topic} ${e.type}`),
        ),
      ];
      return names.sort().map((key) => {
        const [name = '', type = ''] = key.split(' ');
        return {
          name,
          type,
          publishers: graph.writers.filter((w) => w.alive && w.topic === name && w.type === type).length,
          subscriptions: graph.readers.filter((r) => r.alive && r.topic === name && r.type === type).length,
        };
      });
    },
    services: () => graph.servers.filter((s) => s.alive).map((s) => ({ name: s.name, type: s.type })),
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
