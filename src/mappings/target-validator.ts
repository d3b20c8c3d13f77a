/**
 * JSON Schema validation of mapped records against the target contract (ajv, draft 2020-12, with
 * formats). The mapping's own constraints catch what a spec declares; this catches whatever it
 * missed, so "the record validates or a constraint was reported" can be checked for every record.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { createContractRegistry, type ContractRegistry } from './contracts.ts';

// ajv-formats is CommonJS with `exports.default`; under NodeNext the default import is the module object.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => Ajv2020;

export interface TargetValidator {
  /** Errors as "path message" lines; empty when the record is valid. */
  validate(contractRef: string, record: unknown): string[];
}

export function createTargetValidator(registry: ContractRegistry = createContractRegistry()): TargetValidator {
  const ajv = new Ajv2020({ strict: false, allowUnionTypes: true, allErrors: true });
  addFormats(ajv);
  const ids = new Map<string, string>();
  for (const name of registry.names()) {
    const schema = registry.raw(name)!;
    ajv.addSchema(schema);
    ids.set(name, schema.$id as string);
  }
  const compiled = new Map<string, ValidateFunction>();
  return {
    validate(contractRef, record) {
      let check = compiled.get(contractRef);
      if (!check) {
        const [name, pointer = ''] = contractRef.split('#');
        const id = ids.get(name!);
        if (!id) throw new Error(`Failed to validate a record: ${name} is not a contract.`);
        check = ajv.getSchema(`${id}${pointer ? `#${pointer}` : ''}`);
        if (!check) throw new Error(`Failed to validate a record: ${contractRef} does not resolve.`);
        compiled.set(contractRef, check);
      }
      return check(record) ? [] : (check.errors ?? []).map((e: ErrorObject) => `${e.instancePath || '(root)'} ${e.message}${e.params && Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : ''}`);
    },
  };
}
