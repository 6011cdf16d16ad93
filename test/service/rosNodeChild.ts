/**
 * The service as `ros2 launch` runs it, in a process of its own, on the in-memory ROS graph with
 * a stand-in RMF dispatcher in the same graph: `node dist/test/service/rosNodeChild.js <args>`.
 * FAKE_RMF_DELAY_MS makes the dispatcher answer late; FAKE_RMF_SILENT=1 makes it never answer.
 * Real signals reach this process (rclnodejs's SIGINT handler as the stand-in installs it).
 */
import { runServe } from '../../src/commands/serve.js';
import { createFakeRos } from '../helpers/fakeRcl.js';
import { startFakeRmf } from '../helpers/fakeRclRmf.js';

const ros = createFakeRos();
const rmf = await startFakeRmf(ros);
rmf.answerDelayMs = Number(process.env.FAKE_RMF_DELAY_MS ?? 0);
if (process.env.FAKE_RMF_SILENT === '1') rmf.behaviour = 'silent';
const code = await runServe({
  argv: process.argv.slice(2),
  env: process.env,
  cwd: process.cwd(),
  loadRcl: async () => ({ ok: true, rcl: ros.rclnodejs() }),
});
rmf.stop();
process.exitCode = code;
