/**
 * Between the CEL conformance suite's values (`cel.expr.Value`, as its test cases state bindings
 * and expected results) and @bufbuild/cel's: a binding becomes an input, a result is compared with
 * the expected value as cel-go's conformance runner does (doubles bit for bit except NaN = NaN,
 * maps regardless of order, timestamps and durations as messages).
 */
import {
  celList, celMap, celUint, isCelList, isCelMap, isCelType, isCelUint, type CelInput, type CelValue,
} from '@bufbuild/cel';
import type { Value } from '@bufbuild/cel-spec/cel/expr/value_pb.js';
import { equals, type Registry } from '@bufbuild/protobuf';
import { isReflectMessage } from '@bufbuild/protobuf/reflect';
import { anyUnpack } from '@bufbuild/protobuf/wkt';

/** A value the runner cannot bind: its case stays outside what runbridge exposes. */
export class UnsupportedValue extends Error {
  constructor(kind: string) {
    super(`no binding for a ${kind}`);
    this.name = 'UnsupportedValue';
  }
}

type MapKey = string | bigint | boolean | ReturnType<typeof celUint>;

export function toCelInput(value: Value, registry: Registry): CelInput {
  const kind = value.kind;
  switch (kind.case) {
    case 'nullValue': return null;
    case 'boolValue': case 'int64Value': case 'doubleValue': case 'stringValue': case 'bytesValue': return kind.value;
    case 'uint64Value': return celUint(kind.value);
    case 'listValue': return celList(kind.value.values.map((element) => toCelInput(element, registry)));
    case 'mapValue': {
      const entries = new Map<MapKey, CelInput>();
      for (const { key, value: entry } of kind.value.entries) {
        if (key === undefined || entry === undefined) throw new UnsupportedValue('map entry without key or value');
        entries.set(toCelInput(key, registry) as MapKey, toCelInput(entry, registry));
      }
      return celMap(entries);
    }
    case 'objectValue': {
      const message = anyUnpack(kind.value, registry);
      if (message === undefined) throw new UnsupportedValue(kind.value.typeUrl);
      return message as CelInput;
    }
    default: throw new UnsupportedValue(kind.case ?? 'value without a kind');
  }
}

export function sameValue(actual: CelValue, expected: Value, registry: Registry): boolean {
  const kind = expected.kind;
  switch (kind.case) {
    case 'nullValue': return actual === null;
    case 'boolValue': case 'int64Value': case 'stringValue': return actual === kind.value;
    case 'doubleValue': return typeof actual === 'number' && (Object.is(actual, kind.value) || (Number.isNaN(actual) && Number.isNaN(kind.value)));
    case 'uint64Value': return isCelUint(actual) && actual.value === kind.value;
    case 'bytesValue': return actual instanceof Uint8Array && Buffer.from(actual).equals(Buffer.from(kind.value));
    case 'typeValue': return isCelType(actual) && actual.name === kind.value;
    case 'listValue': {
      if (!isCelList(actual)) return false;
      const elements = [...actual];
      return elements.length === kind.value.values.length && elements.every((element, i) => sameValue(element, kind.value.values[i]!, registry));
    }
    case 'mapValue': {
      if (!isCelMap(actual)) return false;
      const entries = [...actual.entries()];
      return entries.length === kind.value.entries.length && kind.value.entries.every(({ key, value }) =>
        key !== undefined && value !== undefined && entries.some(([k, v]) => sameValue(k, key, registry) && sameValue(v, value, registry)));
    }
    case 'objectValue': {
      const message = anyUnpack(kind.value, registry);
      return message !== undefined && isReflectMessage(actual) && actual.desc.typeName === message.$typeName
        && equals(actual.desc, actual.message, message);
    }
    default: return false;
  }
}
