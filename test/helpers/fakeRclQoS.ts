/**
 * QoS in the in-memory ROS stand-in: rclnodejs's QoS class and policy values, and what the RMW
 * makes of a QoS option (profiles as rmw's defaults: KEEP_LAST 10, RELIABLE, VOLATILE).
 */
import type { RclQoS } from '../../src/ros/rclSurface.js';

// ---------------------------------------------------------------------------------------------
// QoS

export const HistoryPolicy = {
  RMW_QOS_POLICY_HISTORY_SYSTEM_DEFAULT: 0,
  RMW_QOS_POLICY_HISTORY_KEEP_LAST: 1,
  RMW_QOS_POLICY_HISTORY_KEEP_ALL: 2,
} as const;
export const ReliabilityPolicy = {
  RMW_QOS_POLICY_RELIABILITY_SYSTEM_DEFAULT: 0,
  RMW_QOS_POLICY_RELIABILITY_RELIABLE: 1,
  RMW_QOS_POLICY_RELIABILITY_BEST_EFFORT: 2,
} as const;
export const DurabilityPolicy = {
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
