/**
 * The colcon package, launch files and Dockerfile agree with each other and with the code: one
 * package name, one executable, every interface file built, every launch setting a real config
 * key. (They cannot be run here; this is what can be checked by reading them.)
 */
import test from 'ava';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { configParameters } from '../../src/ros/parameters.js';
import { loadInterfaceRegistry, projectRoot } from '../helpers/fakeRclInterfaces.js';
import { sampleConfig } from './sampleConfig.js';

const root = projectRoot();
const read = (f: string) => readFileSync(join(root, f), 'utf8');
const PACKAGE = 'rmf_task_scheduler';
const EXECUTABLE = 'task_scheduler';

const packageXml = read('package.xml');
const cmake = read('CMakeLists.txt');
const launchPy = read('launch/task_scheduler.launch.py');
const launchXml = read('launch/task_scheduler.launch.xml');
const dockerfile = read('Dockerfile');
const packageJson = JSON.parse(read('package.json')) as { version: string; bin: Record<string, string> };

const tags = (xml: string, tag: string): string[] =>
  [...xml.matchAll(new RegExp(`<${tag}>([^<]+)</${tag}>`, 'g'))].map((m) => (m[1] ?? '').trim());
const configKeys = new Set(configParameters(sampleConfig()).map((p) => p.name));

test('package.xml: format 3 ament_cmake interface package named rmf_task_scheduler, versioned like package.json', (t) => {
  t.regex(packageXml, /<package format="3">/);
  t.deepEqual(tags(packageXml, 'name'), [PACKAGE]);
  t.deepEqual(tags(packageXml, 'version'), [packageJson.version]);
  t.deepEqual(tags(packageXml, 'build_type'), ['ament_cmake']);
  t.deepEqual(tags(packageXml, 'member_of_group'), ['rosidl_interface_packages']);
  t.true(tags(packageXml, 'buildtool_depend').includes('rosidl_default_generators'));
  const exec = [...tags(packageXml, 'exec_depend'), ...tags(packageXml, 'depend')];
  for (const dep of [
    'rosidl_default_runtime',
    'rmf_task_msgs',
    'std_msgs',
    'builtin_interfaces',
    'nodejs',
    'launch_ros',
    'launch_xml',
  ])
    t.true(exec.includes(dep), dep);
});

test('CMakeLists.txt builds exactly the interface files in msg/ and srv/, with the packages they use', (t) => {
  t.regex(cmake, new RegExp(`project\\(${PACKAGE}\\)`));
  const listed = [...cmake.matchAll(/"((?:msg|srv)\/[A-Za-z0-9]+\.(?:msg|srv))"/g)].map((m) => m[1]).sort();
  const onDisk = [
    ...readdirSync(join(root, 'msg')).map((f) => `msg/${f}`),
    ...readdirSync(join(root, 'srv')).map((f) => `srv/${f}`),
  ].sort();
  t.deepEqual(listed, onDisk);

  // Every other package our interfaces refer to is a DEPENDENCY of the generation and a depend.
  const registry = loadInterfaceRegistry(root);
  const defs = [
    ...[...registry.messages.values()].filter((d) => d.package === PACKAGE),
    ...[...registry.services.values()]
      .filter((s) => s.package === PACKAGE)
      .flatMap((s) => [s.request, s.response]),
  ];
  const used = new Set(
    defs.flatMap((d) => d.fields.filter((f) => !f.type.isPrimitive).map((f) => f.type.package)),
  );
  used.delete(PACKAGE);
  const dependencies = /DEPENDENCIES\s+([^)]+)\)/.exec(cmake)?.[1]?.trim().split(/\s+/) ?? [];
  t.deepEqual([...used].sort(), dependencies.sort());
  for (const pkg of used) {
    t.regex(cmake, new RegExp(`find_package\\(${pkg} REQUIRED\\)`));
    t.true(tags(packageXml, 'depend').includes(pkg as string), `${pkg} in package.xml`);
  }
});

test('one executable: CMake installs lib/rmf_task_scheduler/task_scheduler running bin/task_scheduler.js; launch starts it', (t) => {
  t.regex(cmake, /OUTPUT "\$\{CMAKE_CURRENT_BINARY_DIR\}\/task_scheduler"/);
  t.regex(
    cmake,
    /install\(PROGRAMS "\$\{CMAKE_CURRENT_BINARY_DIR\}\/task_scheduler" DESTINATION lib\/\$\{PROJECT_NAME\}\)/,
  );
  t.regex(cmake, /exec node "\$JS_HOME\/bin\/task_scheduler\.js" "\$@"/);
  t.is(packageJson.bin[EXECUTABLE], 'bin/task_scheduler.js');
  t.true(existsSync(join(root, 'bin', 'task_scheduler.js')));
  t.regex(launchPy, new RegExp(`package='${PACKAGE}',\\s*executable='${EXECUTABLE}'`));
  // The service prints each line once (JSON); ROS's copy of it goes to /rosout only.
  t.regex(launchPy, /ros_arguments=\['--disable-stdout-logs'\]/);
  t.regex(cmake, /install\(DIRECTORY launch DESTINATION share\/\$\{PROJECT_NAME\}\)/);
});

/** (argument, parameter) pairs of the Python launch file's SETTINGS table. */
const pySettings = [...launchPy.matchAll(/^\s*\('([a-z_]+)', '([a-z_.]+)', [A-Za-z_]+, /gm)].map((m) => [
  m[1] ?? '',
  m[2] ?? '',
]);
const xmlArgs = [
  ...launchXml.matchAll(/<arg name="([a-z_]+)" default="([^"]*)" description="([^"]*)"\/>/g),
].map((m) => ({
  name: m[1] ?? '',
  default: m[2] ?? '',
  description: m[3] ?? '',
}));
const LAUNCH_ONLY = ['node_name', 'namespace', 'params_file', 'config_file', 'use_sim_time'];

test('every launch setting is passed as the ROS parameter of a real config key', (t) => {
  t.true(pySettings.length >= 10);
  for (const [argument, key] of pySettings) t.true(configKeys.has(key ?? ''), `${argument} → ${key}`);
  for (const key of ['port', 'db_url', 'timezone', 'rmf.transport', 'rmf.dispatch_timeout_ms'])
    t.true(
      pySettings.some(([, k]) => k === key),
      key,
    );
});

test('the XML launch file declares the same arguments, says which parameter each sets, and forwards them all', (t) => {
  const settings = xmlArgs.filter((a) => !LAUNCH_ONLY.includes(a.name));
  t.deepEqual(
    settings.map((a) => [a.name, /\[parameter ([a-z_.]+)\]$/.exec(a.description)?.[1]]),
    pySettings,
  );
  t.deepEqual(
    xmlArgs.filter((a) => LAUNCH_ONLY.includes(a.name)).map((a) => a.name),
    LAUNCH_ONLY,
  );
  t.true(
    settings.every((a) => a.default === ''),
    'settings default to empty (= not set)',
  );
  t.is(xmlArgs.find((a) => a.name === 'node_name')?.default, sampleConfig().ros.node_name);
  const forwarded = [...launchXml.matchAll(/<arg name="([a-z_]+)" value="\$\(var ([a-z_]+)\)"\/>/g)].map(
    (m) => [m[1], m[2]],
  );
  t.deepEqual(
    forwarded,
    xmlArgs.map((a) => [a.name, a.name]),
  );
  t.regex(launchXml, new RegExp(`\\$\\(find-pkg-share ${PACKAGE}\\)/launch/task_scheduler\\.launch\\.py`));
  for (const a of LAUNCH_ONLY) t.regex(launchPy, new RegExp(`DeclareLaunchArgument\\(\\s*'${a}'`));
});

test('the Dockerfile builds this package in the right order and launches it', (t) => {
  t.regex(dockerfile, /^ARG ROS_DISTRO=jazzy$/m);
  t.regex(dockerfile, /^FROM ros:\$\{ROS_DISTRO\}-ros-base AS build$/m);
  t.regex(dockerfile, /node_20\.x/);
  t.regex(dockerfile, /ros-\$\{ROS_DISTRO\}-rmf-task-msgs/);
  const at = (re: RegExp) => dockerfile.search(re);
  const colcon = at(new RegExp(`&& colcon build --packages-select ${PACKAGE}`));
  const npmCi = at(/&& npm ci\b/);
  const sources = at(/^COPY src src$/m);
  t.true(colcon > 0 && npmCi > colcon, 'colcon build, then npm ci');
  // npm ci builds the TypeScript (the prepare script): the sources and tsconfig are there before it.
  t.true(sources > 0 && sources < npmCi, 'src copied before npm ci');
  t.true(at(/^COPY .*tsconfig\.build\.json/m) < npmCi, 'tsconfig copied before npm ci');
  t.regex(read('package.json'), /"prepare": "npm run build"/);
  t.regex(dockerfile.slice(colcon, npmCi), /source \/ws\/install\/setup\.bash/);
  t.regex(dockerfile, /ENV npm_config_yes=true/);
  t.regex(dockerfile, new RegExp(`WORKDIR /ws/src/${PACKAGE}`));
  t.regex(dockerfile, new RegExp(`ros2 launch ${PACKAGE} task_scheduler\\.launch\\.xml`));
  t.regex(dockerfile, /^VOLUME \["\/var\/lib\/rmf-task-scheduler"\]$/m);
  t.regex(dockerfile, /db_url:=sqlite:\/var\/lib\/rmf-task-scheduler\//);
  // Every file the build copies from the context exists.
  const copied = [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) =>
    (m[1] ?? '').split(/\s+/),
  );
  t.true(copied.length > 5);
  for (const f of copied) t.true(existsSync(join(root, f)), f);
  const ignored = read('.dockerignore').split('\n');
  for (const f of ['node_modules', 'dist', '.git']) t.true(ignored.includes(f), f);
  // Launch arguments given in CMD are real.
  const cmd = /^CMD \[(.+)\]$/m.exec(dockerfile)?.[1] ?? '';
  for (const [, name] of cmd.matchAll(/"([a-z_]+):=/g))
    t.true(
      xmlArgs.some((a) => a.name === name),
      name,
    );
});
