/**
 * RMF's clock under simulation (`use_sim_time`): ROS time comes from `/clock`
 * (rosgraph_msgs/Clock), and fleet adapters compare `unix_millis_earliest_start_time` with it.
 * The scheduler keeps its schedule in wall-clock time and stamps the times RMF compares in ROS
 * time: the wall-clock instant plus the offset between the two, as of the latest /clock message.
 */
import type { Clock, RmfClock } from '../runtime/ports.js';
import { bestEffortQoS } from './qos.js';
import type { RclModule, RclNode } from './rclSurface.js';

export const CLOCK_TOPIC = '/clock';
export const CLOCK_TYPE = 'rosgraph_msgs/msg/Clock';

export interface RosClock extends RmfClock {
  readonly topic: string;
  stop(): void;
}

export function followRosClock(deps: { rcl: Pick<RclModule, 'QoS'>; node: RclNode; clock: Clock }): RosClock {
  const { clock } = deps;
  let offset: number | null = null;
  let stopped = false;
  const waiters = new Set<() => void>();
  const sub = deps.node.createSubscription(
    CLOCK_TYPE,
    CLOCK_TOPIC,
    { qos: bestEffortQoS(deps.rcl, 1) },
    (msg) => {
      if (stopped) return;
      const rosMs = Number(msg.clock.sec) * 1000 + Math.floor(Number(msg.clock.nanosec) / 1e6);
      offset = rosMs - clock.now();
      for (const wake of [...waiters]) wake();
    },
  );
  return {
    topic: sub.topic,
    offsetMs(waitMs) {
      if (offset !== null || stopped || waitMs <= 0) return Promise.resolve(offset);
      return new Promise((resolve) => {
        const done = () => {
          waiters.delete(done);
          clock.clearTimeout(timer);
          resolve(offset);
        };
        const timer = clock.setTimeout(done, waitMs);
        waiters.add(done);
      });
    },
    stop() {
      stopped = true;
      for (const wake of [...waiters]) wake();
    },
  };
}
