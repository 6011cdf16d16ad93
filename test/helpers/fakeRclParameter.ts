/**
 * Parameters in the in-memory ROS stand-in: rclnodejs's Parameter class (INTEGER values held as
 * bigint, a value of the wrong type refused) and the type of a command-line value.
 */
import { ParameterType, type RclParameter, type RclParameterDescriptor } from '../../src/ros/rclSurface.js';

// ---------------------------------------------------------------------------------------------
// Parameters

export class FakeParameter implements RclParameter {
  constructor(
    readonly name: string,
    readonly type: number,
    public value: unknown = undefined,
  ) {
    if (type === ParameterType.PARAMETER_INTEGER && value !== undefined) this.value = BigInt(value as number);
    if (!validParameterValue(this.value, type)) {
      throw new TypeError(`Parameter ${name}: value ${String(this.value)} does not match type ${type}`);
    }
  }
}

/** rclnodejs's ParameterDescriptor (name, type, description, readOnly). */
export class FakeParameterDescriptor implements RclParameterDescriptor {
  constructor(
    readonly name: string,
    readonly type: number,
    readonly description = '',
    readonly readOnly = false,
  ) {}
}

function validParameterValue(value: unknown, type: number): boolean {
  if (value === null || value === undefined) return type === ParameterType.PARAMETER_NOT_SET;
  const all = (check: (v: unknown) => boolean) => Array.isArray(value) && value.every(check);
  switch (type) {
    case ParameterType.PARAMETER_BOOL:
      return typeof value === 'boolean';
    case ParameterType.PARAMETER_INTEGER:
      return typeof value === 'bigint';
    case ParameterType.PARAMETER_DOUBLE:
      return typeof value === 'number';
    case ParameterType.PARAMETER_STRING:
      return typeof value === 'string';
    case ParameterType.PARAMETER_BOOL_ARRAY:
      return all((v) => typeof v === 'boolean');
    case ParameterType.PARAMETER_INTEGER_ARRAY:
      return all((v) => typeof v === 'bigint');
    case ParameterType.PARAMETER_DOUBLE_ARRAY:
      return all((v) => typeof v === 'number');
    case ParameterType.PARAMETER_STRING_ARRAY:
      return all((v) => typeof v === 'string');
    default:
      return false;
  }
}

export function parameterTypeOf(value: unknown): number {
  if (typeof value === 'boolean') return ParameterType.PARAMETER_BOOL;
  if (typeof value === 'bigint') return ParameterType.PARAMETER_INTEGER;
  if (typeof value === 'number') return ParameterType.PARAMETER_DOUBLE;
  if (typeof value === 'string') return ParameterType.PARAMETER_STRING;
  if (Array.isArray(value)) {
    const first: unknown = value[0];
    if (typeof first === 'boolean') return ParameterType.PARAMETER_BOOL_ARRAY;
    if (typeof first === 'bigint') return ParameterType.PARAMETER_INTEGER_ARRAY;
    if (typeof first === 'number') return ParameterType.PARAMETER_DOUBLE_ARRAY;
    return ParameterType.PARAMETER_STRING_ARRAY;
  }
  return ParameterType.PARAMETER_NOT_SET;
}
