// Arguments as commands receive them: a tree element (from a context menu), an object (from a
// script or a test), or nothing (from the palette: then the command asks). Objects are
// checked field by field; a wrong one is an ArgumentError with a sentence that names it.
import { ArgumentError } from '../feedback/outcome';
import type { LabNode } from '../views/nodes';
import { isLabNode } from '../views/nodes';

export type CommandInput<T> = { from: 'node'; node: LabNode } | { from: 'args'; args: T } | { from: 'palette' };

export function classify<T extends object>(input: unknown): CommandInput<Partial<T>> {
  if (input === undefined || input === null) return { from: 'palette' };
  if (isLabNode(input)) return { from: 'node', node: input };
  if (typeof input !== 'object' || Array.isArray(input)) {
    throw new ArgumentError(`Expected an object of named arguments, got ${describe(input)}.`);
  }
  return { from: 'args', args: input as Partial<T> };
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `the text ${JSON.stringify(value.slice(0, 80))}`;
  return `a ${typeof value}`;
}

/** A required text argument. */
export function requireText(args: object, name: string, meaning: string): string {
  const value = (args as Record<string, unknown>)[name];
  if (typeof value !== 'string' || value.trim() === '') throw new ArgumentError(`'${name}' is required: ${meaning}.`);
  return value.trim();
}

/** An optional text argument (undefined when absent). */
export function optionalText(args: object, name: string, meaning: string): string | undefined {
  const value = (args as Record<string, unknown>)[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '') throw new ArgumentError(`'${name}' must be ${meaning}, not ${describe(value)}.`);
  return value.trim();
}

export function optionalBoolean(args: object, name: string): boolean | undefined {
  const value = (args as Record<string, unknown>)[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') throw new ArgumentError(`'${name}' must be true or false, not ${describe(value)}.`);
  return value;
}

export function optionalNumber(args: object, name: string, meaning: string): number | undefined {
  const value = (args as Record<string, unknown>)[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ArgumentError(`'${name}' must be ${meaning}, not ${describe(value)}.`);
  }
  return value;
}

export function optionalChoice<T extends string>(args: object, name: string, choices: readonly T[]): T | undefined {
  const value = (args as Record<string, unknown>)[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
    throw new ArgumentError(`'${name}' must be one of ${choices.map(c => `'${c}'`).join(', ')}, not ${describe(value)}.`);
  }
  return value as T;
}

export function optionalTags(args: object, name: string): Record<string, string> | undefined {
  const value = (args as Record<string, unknown>)[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value) || Object.values(value).some(v => typeof v !== 'string')) {
    throw new ArgumentError(`'${name}' must be an object of text values, e.g. { "env": "lab" }.`);
  }
  return { ...(value as Record<string, string>) };
}
