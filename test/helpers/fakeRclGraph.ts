/**
 * The shared state of the in-memory ROS graph (one DDS domain): endpoints, and the DDS rules of
 * matching and delivery — QoS request/offered compatibility, asynchronous delivery, KEEP_LAST
 * reader queues, callbacks only on spinning nodes.
 */
import type { RclServiceResponse } from '../../src/ros/rclSurface.js';
import type { InterfaceRegistry } from './fakeRclInterfaces.js';
import type { EffectiveQoS } from './fakeRclQoS.js';

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
export interface Owner {
  readonly fullName: string;
  readonly spinning: boolean;
}

export interface Writer {
  id: number;
  node: Owner;
  topic: string;
  type: string;
  qos: EffectiveQoS;
  history: Record<string, unknown>[];
  alive: boolean;
}

export interface Reader {
  id: number;
  node: Owner;
  topic: string;
  type: string;
  qos: EffectiveQoS;
  callback: (message: never) => void;
  inbox: Record<string, unknown>[];
  alive: boolean;
}

export interface Server {
  node: Owner;
  name: string;
  type: string;
  callback: (request: never, response: RclServiceResponse<never>) => void;
  alive: boolean;
}

export class FakeGraph {
  readonly writers: Writer[] = [];
  readonly readers: Reader[] = [];
  readonly servers: Server[] = [];
  readonly nodes = new Set<Owner & { destroy(): void }>();
  readonly incompatibilities: QoSIncompatibility[] = [];
  readonly rosout: RosoutLine[] = [];
  /** Deliveries scheduled but not yet made. */
  inFlight = 0;
  private lastId = 0;

  constructor(readonly interfaces: InterfaceRegistry) {}

  nextId(): number {
    return ++this.lastId;
  }

  /** Whether `w` reaches `r`; records why not when the topic matches but QoS or type do not. */
  matches(w: Writer, r: Reader): boolean {
    if (w.topic !== r.topic) return false;
    const record = (policy: QoSIncompatibility['policy']) => {
      this.incompatibilities.push({
        topic: w.topic,
        policy,
        writer: w.node.fullName,
        reader: r.node.fullName,
      });
      return false;
    };
    if (w.type !== r.type) return record('TYPE');
    if (r.qos.reliable && !w.qos.reliable) return record('RELIABILITY');
    if (r.qos.transientLocal && !w.qos.transientLocal) return record('DURABILITY');
    return true;
  }

  /** Asynchronously, like DDS: never inside publish(). */
  deliver(r: Reader, message: Record<string, unknown>): void {
    this.inFlight++;
    setImmediate(() => {
      this.inFlight--;
      if (!r.alive) return;
      r.inbox.push(structuredClone(message));
      while (r.inbox.length > r.qos.depth) r.inbox.shift();
      this.drain(r);
    });
  }

  /** Runs the callbacks of queued messages if the reader's node spins. */
  drain(r: Reader): void {
    if (!r.node.spinning) return;
    while (r.alive && r.inbox.length > 0) {
      const m = r.inbox.shift();
      (r.callback as (m: unknown) => void)(m);
    }
  }
}
