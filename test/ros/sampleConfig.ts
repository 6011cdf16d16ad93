import type { Config } from '../../src/Config.js';
import { defaultConfig } from '../../src/loadConfig.js';

/** The documented defaults, with a few values the ROS tests look for (tests of the ROS side only). */
export const sampleConfig = (): Config => {
  const defaults = defaultConfig(process.cwd());
  return {
    ...defaults,
    db_url: 'sqlite:rmf-task-scheduler.sqlite',
    timezone: 'Europe/Berlin',
    replica_id: 'host-1234',
    sync_interval_ms: 2000,
    rmf: { ...defaults.rmf, dispatch_timeout_ms: 5000 },
  };
};
