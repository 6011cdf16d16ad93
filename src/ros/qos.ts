/**
 * The QoS profiles of the node's endpoints, built with rclnodejs's QoS class. RMF's task API
 * topics are RELIABLE + TRANSIENT_LOCAL (RMF_INTERFACE.md §2): a VOLATILE or BEST_EFFORT writer
 * would be incompatible with RMF's readers and deliver nothing.
 */
import type { RclModule, RclQoS } from './rclSurface.js';

export type Durability = 'transient_local' | 'volatile';

/** RELIABLE, KEEP_LAST `depth`, with the given durability. */
export function reliableQoS(rcl: Pick<RclModule, 'QoS'>, depth: number, durability: Durability): RclQoS {
  const { QoS } = rcl;
  return new QoS(
    QoS.HistoryPolicy.RMW_QOS_POLICY_HISTORY_KEEP_LAST,
    depth,
    QoS.ReliabilityPolicy.RMW_QOS_POLICY_RELIABILITY_RELIABLE,
    durability === 'transient_local'
      ? QoS.DurabilityPolicy.RMW_QOS_POLICY_DURABILITY_TRANSIENT_LOCAL
      : QoS.DurabilityPolicy.RMW_QOS_POLICY_DURABILITY_VOLATILE,
  );
}

/**
 * BEST_EFFORT, VOLATILE, KEEP_LAST `depth`: rclcpp's ClockQoS for `/clock`; a best-effort reader
 * matches reliable and best-effort writers alike.
 */
export function bestEffortQoS(rcl: Pick<RclModule, 'QoS'>, depth: number): RclQoS {
  const { QoS } = rcl;
  return new QoS(
    QoS.HistoryPolicy.RMW_QOS_POLICY_HISTORY_KEEP_LAST,
    depth,
    QoS.ReliabilityPolicy.RMW_QOS_POLICY_RELIABILITY_BEST_EFFORT,
    QoS.DurabilityPolicy.RMW_QOS_POLICY_DURABILITY_VOLATILE,
  );
}
