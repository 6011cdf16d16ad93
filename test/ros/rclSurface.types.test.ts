/**
 * Keeps src/ros/rclSurface.ts in step with rclnodejs's own declarations. rclnodejs installs only
 * where ROS 2 is sourced, so when it is absent the declarations of the version package-lock.json
 * pins are fetched from the npm registry (cached under node_modules/.cache/). The TypeScript
 * compiler then checks a small file of assignments: rclnodejs's Node, module, QoS, Parameter and
 * Logging must be usable as our surface types, our message types must equal what rclnodejs
 * generates from the .msg/.srv files, and our ParameterType values must equal rclnodejs's.
 */
import test from 'ava';
import { cpSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import ts from 'typescript';
import { loadInterfaceRegistry, projectRoot } from '../helpers/fakeRclInterfaces.js';
import { ParameterType } from '../../src/ros/rclSurface.js';
import { interfacesDeclaration, rclnodejsDeclarations, writeCheckFile } from './rclTypings.js';

const root = projectRoot();
const src = (file: string) => resolve(root, file).replace(/\.ts$/, '.js');

function checkSource(messages: string[], services: string[]): string {
  const surface = src('src/ros/rclSurface.ts');
  const fake = src('test/helpers/fakeRclQoS.ts');
  const lines = [
    `import type * as rcl from 'rclnodejs';`,
    `import type { RclLogging, RclModule, RclNode, RclParameterClass, RclQoSClass, RosMessages, RosServices } from '${surface}';`,
    `import type { ParameterType } from '${surface}';`,
    `import type { FakeQoS } from '${fake}';`,
    `type Equals<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;`,
    `type Assert<T extends true> = T;`,
    `// rclnodejs's types used as our surface (what src/ros calls)`,
    `declare const node: rcl.Node;`,
    `export const nodeSurface: RclNode = node;`,
    `declare const module: typeof import('rclnodejs');`,
    `export const moduleSurface: RclModule = module;`,
    `declare const qos: typeof rcl.QoS;`,
    `export const qosSurface: RclQoSClass = qos;`,
    `declare const parameter: typeof rcl.Parameter;`,
    `export const parameterSurface: RclParameterClass = parameter;`,
    `declare const logging: rcl.Logging;`,
    `export const loggingSurface: RclLogging = logging;`,
    `// our message types, both ways, against the generated ones`,
  ];
  for (const name of messages) {
    const id = name.replace(/\W/g, '_');
    lines.push(
      `declare const theirs_${id}: rcl.MessageType<'${name}'>;`,
      `export const ours_${id}: RosMessages['${name}'] = theirs_${id};`,
      `declare const back_${id}: RosMessages['${name}'];`,
      `export const their_${id}: rcl.MessageType<'${name}'> = back_${id};`,
    );
  }
  for (const name of services) {
    const id = name.replace(/\W/g, '_');
    for (const part of ['Request', 'Response'] as const) {
      const ours = `RosServices['${name}']['${part.toLowerCase()}']`;
      const theirs = `rcl.Service${part}Message<'${name}'>`;
      lines.push(
        `declare const theirs_${id}_${part}: ${theirs};`,
        `export const ours_${id}_${part}: ${ours} = theirs_${id}_${part};`,
        `declare const back_${id}_${part}: ${ours};`,
        `export const their_${id}_${part}: ${theirs} = back_${id}_${part};`,
      );
    }
  }
  lines.push(`// constant values`);
  for (const key of Object.keys(ParameterType)) {
    lines.push(
      `export type ParameterType_${key} = Assert<Equals<\`\${rcl.ParameterType.${key}}\`, \`\${(typeof ParameterType)['${key}']}\`>>;`,
    );
  }
  const policies: Array<[string, string[]]> = [
    ['HistoryPolicy', ['SYSTEM_DEFAULT', 'KEEP_LAST', 'KEEP_ALL'].map((k) => `RMW_QOS_POLICY_HISTORY_${k}`)],
    [
      'ReliabilityPolicy',
      ['SYSTEM_DEFAULT', 'RELIABLE', 'BEST_EFFORT'].map((k) => `RMW_QOS_POLICY_RELIABILITY_${k}`),
    ],
    [
      'DurabilityPolicy',
      ['SYSTEM_DEFAULT', 'TRANSIENT_LOCAL', 'VOLATILE'].map((k) => `RMW_QOS_POLICY_DURABILITY_${k}`),
    ],
  ];
  for (const [policy, keys] of policies) {
    for (const key of keys) {
      lines.push(
        `export type ${key} = Assert<Equals<\`\${rcl.QoS.${policy}.${key}}\`, \`\${(typeof FakeQoS.${policy})['${key}']}\`>>;`,
      );
    }
  }
  return lines.join('\n') + '\n';
}

/** Compiles `source` against rclnodejs's declarations; returns the diagnostics and the program. */
function compile(source: string) {
  const registry = loadInterfaceRegistry(root);
  const decl = rclnodejsDeclarations(root);
  const file = writeCheckFile(join(root, 'node_modules', '.cache', 'rmf-task-scheduler'), 'check.ts', source);
  const dir = dirname(file);
  try {
    cpSync(join(decl.dir, 'types'), join(dir, 'rclnodejs', 'types'), { recursive: true });
    writeFileSync(join(dir, 'rclnodejs', 'types', 'interfaces.d.ts'), interfacesDeclaration(registry));
    const program = ts.createProgram([file], {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      skipLibCheck: true,
      types: ['node'],
      typeRoots: [join(root, 'node_modules', '@types')],
      paths: { rclnodejs: [join(dir, 'rclnodejs', 'types', 'index.d.ts')] },
    });
    const diagnostics = ts.getPreEmitDiagnostics(program);
    const text = ts.formatDiagnostics(diagnostics, {
      getCanonicalFileName: (f) => f,
      getCurrentDirectory: () => dir,
      getNewLine: () => '\n',
    });
    const source = program.getSourceFile(file);
    const checker = program.getTypeChecker();
    const node = source?.statements.find(
      (s) => ts.isVariableStatement(s) && s.declarationList.declarations[0]?.name.getText(source) === 'node',
    ) as ts.VariableStatement | undefined;
    const nodeDecl = node?.declarationList.declarations[0];
    const nodeMembers = nodeDecl
      ? checker
          .getTypeAtLocation(nodeDecl.name)
          .getProperties()
          .map((p) => p.name)
      : [];
    return { decl, diagnostics, text, nodeMembers };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const USED_MESSAGES = [
  'rmf_task_msgs/msg/ApiRequest',
  'rmf_task_msgs/msg/ApiResponse',
  'std_msgs/msg/String',
  'rmf_task_scheduler/msg/SchedulerEvent',
  'rmf_task_scheduler/msg/RuleList',
];
const USED_SERVICES = ['rmf_task_scheduler/srv/TriggerRule', 'rmf_task_scheduler/srv/SetRuleEnabled'];

test("src/ros/rclSurface.ts agrees with rclnodejs's declarations", (t) => {
  const { decl, diagnostics, text, nodeMembers } = compile(checkSource(USED_MESSAGES, USED_SERVICES));
  t.is(
    diagnostics.length,
    0,
    `rclnodejs ${decl.version} (${decl.source}) disagrees with our surface:\n${text}`,
  );
  // The check really ran against rclnodejs: its Node has methods we do not use.
  t.true(nodeMembers.includes('createTimer'), 'the rclnodejs Node type was not resolved');
});

test('the type check fails, naming the problem, when our surface drifts from rclnodejs', (t) => {
  const drifted = checkSource(USED_MESSAGES, USED_SERVICES)
    .replace(
      'export const nodeSurface: RclNode = node;',
      'export const nodeSurface: RclNode & { spinAll(): void } = node;',
    )
    .replace(
      "export const ours_rmf_task_msgs_msg_ApiRequest: RosMessages['rmf_task_msgs/msg/ApiRequest']",
      "export const ours_rmf_task_msgs_msg_ApiRequest: RosMessages['rmf_task_msgs/msg/ApiRequest'] & { priority: number }",
    );
  const { diagnostics, text } = compile(drifted);
  t.is(diagnostics.length, 2, text);
  t.regex(text, /Property 'spinAll' is missing/);
  t.regex(text, /Property 'priority' is missing/);
});
