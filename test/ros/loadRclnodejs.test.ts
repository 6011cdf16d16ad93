import test from 'ava';
import { join } from 'node:path';
import { loadRclnodejs, rclnodejsInstalled, rosEnvironmentProblem } from '../../src/ros/loadRclnodejs.js';

const prefix = (...dirs: string[]) => dirs.join(':');
const exists = (present: string[]) => (path: string) => present.includes(path);

test('without a sourced ROS 2 the reason says to source it', (t) => {
  t.regex(rosEnvironmentProblem({}) ?? '', /ROS 2 is not sourced/);
  t.regex(rosEnvironmentProblem({ ROS_DISTRO: 'jazzy' }) ?? '', /not sourced/);
});

test('missing message packages are named', (t) => {
  const env = { ROS_DISTRO: 'jazzy', AMENT_PREFIX_PATH: prefix('/ws/install', '/opt/ros/jazzy') };
  const problem = rosEnvironmentProblem(
    env,
    exists([join('/opt/ros/jazzy', 'share', 'std_msgs', 'package.xml')]),
  );
  t.regex(problem ?? '', /rmf_task_msgs, rmf_task_scheduler, rosgraph_msgs not found on AMENT_PREFIX_PATH/);
  t.regex(problem ?? '', /ros-jazzy-rmf-task-msgs/);
});

test('a sourced workspace with every package is fine', (t) => {
  const env = {
    ROS_DISTRO: 'jazzy',
    AMENT_PREFIX_PATH: prefix('/ws/install/rmf_task_scheduler', '/opt/ros/jazzy'),
  };
  const present = [
    join('/ws/install/rmf_task_scheduler', 'share', 'rmf_task_scheduler', 'package.xml'),
    join('/opt/ros/jazzy', 'share', 'rmf_task_msgs', 'package.xml'),
    join('/opt/ros/jazzy', 'share', 'std_msgs', 'package.xml'),
    join('/opt/ros/jazzy', 'share', 'rosgraph_msgs', 'package.xml'),
  ];
  t.is(rosEnvironmentProblem(env, exists(present)), null);
});

test('loading gives a reason instead of failing when ROS 2 cannot be used', async (t) => {
  const result = await loadRclnodejs({});
  t.false(result.ok);
  const reason = result.ok ? '' : result.reason;
  // Here rclnodejs is normally absent (it installs only with ROS 2 sourced); where it is
  // installed, the empty environment is what stops it.
  t.regex(reason, rclnodejsInstalled() ? /ROS 2 is not sourced/ : /rclnodejs is not installed/);
});
