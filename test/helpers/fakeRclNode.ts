/**
 * A node of the in-memory ROS graph (implements src/ros/rclSurface.ts RclNode): name resolution
 * with remaps, publishers/subscriptions/services built from the real interface definitions,
 * parameters from `--ros-args -p`, logging to the graph's rosout.
 */
import type {
  RclClient,
  RclEntityOptions,
  RclLogging,
  RclNode,
  RclParameter,
  RclParameterDescriptor,
  RclPublisher,
  RclServiceResponse,
  RclSubscription,
  RosMessageName,
  RosMessages,
  RosServiceName,
  RosServices,
} from '../../src/ros/rclSurface.js';
import { ParameterType } from '../../src/ros/rclSurface.js';
import { expandName, type RosArgs } from './fakeRclArgs.js';
import type { FakeGraph, Reader, RosoutLine, Server, Writer } from './fakeRclGraph.js';
import { FakeParameter, FakeParameterDescriptor, parameterTypeOf } from './fakeRclParameter.js';
import { effectiveQoS } from './fakeRclQoS.js';

export class FakeNode implements RclNode {
  readonly fullName: string;
  spinning = false;
  alive = true;
  private readonly parameters = new Map<string, RclParameter>();
  private readonly descriptors = new Map<string, RclParameterDescriptor>();
  private readonly overrides = new Map<string, RclParameter>();
  private readonly logger: RclLogging;

  constructor(
    private readonly graph: FakeGraph,
    private readonly nodeName: string,
    private readonly ns: string,
    private readonly args: RosArgs,
  ) {
    this.fullName = ns === '/' ? `/${nodeName}` : `${ns}/${nodeName}`;
    // rclnodejs 2.2.0 lib/node.js _getNativeParameterOverrides: of rcl's parameter entries it
    // reads the one named "/**", then the one named exactly like the node (its bare name); an
    // entry keyed by the fully qualified name ("/task_scheduler", as ros2 launch writes them) or
    // by a wildcard pattern is never looked at.
    for (const key of ['/**', nodeName]) {
      for (const entry of args.params) {
        if (entry.node !== key) continue;
        for (const [name, setting] of entry.params)
          this.overrides.set(name, new FakeParameter(name, parameterTypeOf(setting.value), setting.value));
      }
    }
    const log = (level: RosoutLine['level']) => (message: string) => {
      if (typeof message !== 'string') throw new TypeError('message must be a string');
      this.graph.rosout.push({ node: this.fullName, level, message });
      return true;
    };
    this.logger = { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
    // rclnodejs's TimeSource, attached to every node: declares use_sim_time (false unless an
    // override it reads says otherwise).
    this.declareParameter(new FakeParameter('use_sim_time', ParameterType.PARAMETER_BOOL, false));
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
    if (!this.graph.interfaces.has(typeClass))
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
      id: this.graph.nextId(),
      node: this,
      topic: this.resolve(topic),
      type: typeClass,
      qos: effectiveQoS(options?.qos),
      history: [],
      alive: true,
    };
    this.graph.writers.push(w);
    const nodeAlive = () => this.alive;
    const graph = this.graph;
    return {
      topic: w.topic,
      publish(message: RosMessages[K]): void {
        if (!w.alive || !nodeAlive()) throw new Error(`publisher of ${w.topic} has been destroyed`);
        const msg = graph.interfaces.toMessage(typeClass, message);
        if (w.qos.transientLocal) {
          w.history.push(msg);
          while (w.history.length > w.qos.depth) w.history.shift();
        }
        for (const r of graph.readers) if (r.alive && graph.matches(w, r)) graph.deliver(r, msg);
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
      id: this.graph.nextId(),
      node: this,
      topic: this.resolve(topic),
      type: typeClass,
      qos: effectiveQoS(options.qos),
      callback: callback as (message: never) => void,
      inbox: [],
      alive: true,
    };
    this.graph.readers.push(r);
    for (const w of this.graph.writers) {
      if (!w.alive || !this.graph.matches(w, r)) continue;
      if (r.qos.transientLocal) for (const m of w.history) this.graph.deliver(r, m);
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
    if (this.graph.servers.some((s) => s.alive && s.name === name))
      throw new Error(`a service named ${name} already exists`);
    const server: Server = {
      node: this,
      name,
      type: typeClass,
      callback: callback as Server['callback'],
      alive: true,
    };
    this.graph.servers.push(server);
    return { serviceName: name };
  }

  /** rclnodejs Client: a request reaches a spinning server asynchronously; its answer reaches this node's callback if it spins. */
  createClient<K extends RosServiceName>(
    typeClass: K,
    serviceName: string,
  ): RclClient<RosServices[K]['request'], RosServices[K]['response']> {
    this.live();
    this.checkType(typeClass);
    const name = this.resolve(serviceName);
    const graph = this.graph;
    const client = { alive: () => this.alive, spinning: () => this.spinning, name: this.fullName };
    const server = () => graph.servers.find((s) => s.alive && s.name === name && s.type === typeClass);
    return {
      isServiceServerAvailable: () => server() !== undefined,
      sendRequest(request, callback) {
        if (!client.alive()) throw new Error(`node ${client.name} has been destroyed`);
        const req = graph.interfaces.toMessage(`${typeClass}_Request`, request);
        graph.inFlight++;
        setImmediate(() => {
          graph.inFlight--;
          const target = server();
          if (!target || !target.node.spinning) return; // lost: no answer, the caller's timeout decides
          let sent = false;
          (target.callback as (r: unknown, s: RclServiceResponse<unknown>) => void)(req, {
            send(value) {
              if (sent) throw new Error('response already sent');
              sent = true;
              const res = graph.interfaces.toMessage(`${typeClass}_Response`, value);
              graph.inFlight++;
              setImmediate(() => {
                graph.inFlight--;
                if (client.alive() && client.spinning())
                  callback(res as unknown as RosServices[K]['response']);
              });
            },
          });
        });
      },
    };
  }

  declareParameter(
    parameter: RclParameter,
    descriptor?: RclParameterDescriptor,
    ignoreOverride = false,
  ): RclParameter {
    this.live();
    if (this.parameters.has(parameter.name))
      throw new Error(`Parameter(${parameter.name}) already declared.`);
    const chosen = (ignoreOverride ? undefined : this.overrides.get(parameter.name)) ?? parameter;
    this.parameters.set(chosen.name, chosen);
    this.descriptors.set(
      chosen.name,
      descriptor ?? new FakeParameterDescriptor(chosen.name, chosen.type, '', false),
    );
    return chosen;
  }
  getParameterDescriptor(name: string): RclParameterDescriptor | undefined {
    return this.descriptors.get(name);
  }
  /** What `ros2 param set` ends in (rclnodejs's Node.setParameter and its checks). */
  setParameter(parameter: RclParameter): { successful: boolean; reason: string | null } {
    const descriptor = this.descriptors.get(parameter.name);
    if (descriptor === undefined)
      return { successful: false, reason: `Parameter ${parameter.name} has not been declared` };
    if (descriptor.readOnly) return { successful: false, reason: `Parameter ${parameter.name} is readonly` };
    this.parameters.set(parameter.name, parameter);
    return { successful: true, reason: null };
  }
  hasParameter(name: string): boolean {
    return this.parameters.has(name);
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
    for (const r of this.graph.readers) if (r.node === this) setImmediate(() => this.graph.drain(r));
  }

  destroy(): void {
    if (!this.alive) return;
    this.alive = false;
    this.spinning = false;
    for (const w of this.graph.writers) if (w.node === this) w.alive = false;
    for (const r of this.graph.readers) if (r.node === this) r.alive = false;
    for (const s of this.graph.servers) if (s.node === this) s.alive = false;
    this.graph.nodes.delete(this);
  }
}
