// Input validation as the SageMaker API model defines it, with the real service's message wording,
// so that a client's error handling is exercised against realistic text.
import { ApiError, throwIfViolations, violation } from './protocol';
import { NOTEBOOK_STATUSES, type NotebookStatus } from './seed';

export const NAME_PATTERN = '^[a-zA-Z0-9](-*[a-zA-Z0-9])*$';
const NAME_REGEX = new RegExp(NAME_PATTERN);
const NAME_CONTAINS_PATTERN = '[a-zA-Z0-9-]+';
export const SORT_KEYS = ['Name', 'CreationTime', 'Status'] as const;
export const SORT_ORDERS = ['Ascending', 'Descending'] as const;

type Input = Record<string, unknown>;

/** A present field of the wrong JSON type cannot be deserialized at all: AWS says SerializationException. */
export function typed<T>(input: Input, key: string, type: 'string' | 'number'): T | undefined {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== type) throw new ApiError('SerializationException', `Unexpected value type for ${key}`);
  return value as T;
}

function camel(key: string): string {
  return key[0].toLowerCase() + key.slice(1);
}

export function checkString(
  input: Input,
  key: string,
  v: string[],
  rules: { required?: boolean; min?: number; max: number; pattern?: string },
) {
  const value = typed<string>(input, key, 'string');
  if (value === undefined) {
    if (rules.required) v.push(violation(undefined, camel(key), 'Member must not be null'));
    return value;
  }
  if (rules.min !== undefined && value.length < rules.min) {
    v.push(violation(value, camel(key), `Member must have length greater than or equal to ${rules.min}`));
  }
  if (value.length > rules.max) {
    v.push(violation(value, camel(key), `Member must have length less than or equal to ${rules.max}`));
  }
  if (rules.pattern && !new RegExp(rules.pattern.startsWith('^') ? rules.pattern : `^${rules.pattern}$`).test(value)) {
    v.push(violation(value, camel(key), `Member must satisfy regular expression pattern: ${rules.pattern}`));
  }
  return value;
}

export function checkRange(input: Input, key: string, v: string[], min: number, max: number): number | undefined {
  const value = typed<number>(input, key, 'number');
  if (value === undefined) return undefined;
  if (value < min) v.push(violation(value, camel(key), `Member must have value greater than or equal to ${min}`));
  else if (value > max) v.push(violation(value, camel(key), `Member must have value less than or equal to ${max}`));
  return value;
}

export function checkEnum<T extends string>(input: Input, key: string, v: string[], allowed: readonly T[]): T | undefined {
  const value = typed<string>(input, key, 'string');
  if (value !== undefined && !(allowed as readonly string[]).includes(value)) {
    v.push(violation(value, camel(key), `Member must satisfy enum value set: [${allowed.join(', ')}]`));
  }
  return value as T | undefined;
}

/** NotebookInstanceName as Describe, Start and Stop take it. */
export function validateNameInput(input: Input): string {
  const v: string[] = [];
  const name = checkString(input, 'NotebookInstanceName', v, { required: true, max: 63, pattern: NAME_PATTERN });
  throwIfViolations(v);
  return name!;
}

export function validatePresignInput(input: Input): { name: string; sessionSeconds: number } {
  const v: string[] = [];
  const name = checkString(input, 'NotebookInstanceName', v, { required: true, max: 63, pattern: NAME_PATTERN });
  const seconds = checkRange(input, 'SessionExpirationDurationInSeconds', v, 1800, 43200);
  throwIfViolations(v);
  return { name: name!, sessionSeconds: seconds ?? 43200 };
}

export interface ListQuery {
  maxResults: number;
  nextToken?: string;
  sortBy: (typeof SORT_KEYS)[number];
  sortOrder: (typeof SORT_ORDERS)[number];
  nameContains?: string;
  statusEquals?: NotebookStatus;
  /** Epoch milliseconds; the wire carries epoch seconds. */
  creationTimeBefore?: number;
  creationTimeAfter?: number;
  lastModifiedTimeBefore?: number;
  lastModifiedTimeAfter?: number;
}

export function validateListInput(input: Input): ListQuery {
  const v: string[] = [];
  const nextToken = checkString(input, 'NextToken', v, { max: 8192 });
  const maxResults = checkRange(input, 'MaxResults', v, 1, 100);
  const sortBy = checkEnum(input, 'SortBy', v, SORT_KEYS);
  const sortOrder = checkEnum(input, 'SortOrder', v, SORT_ORDERS);
  const nameContains = checkString(input, 'NameContains', v, { max: 63, pattern: NAME_CONTAINS_PATTERN });
  const statusEquals = checkEnum(input, 'StatusEquals', v, NOTEBOOK_STATUSES);
  const seconds = (key: string) => {
    const value = typed<number>(input, key, 'number');
    return value === undefined ? undefined : value * 1000;
  };
  const query: ListQuery = {
    maxResults: maxResults ?? 10,
    nextToken,
    sortBy: sortBy ?? 'Name', // "The default is Name" (the API reference); the default order is not documented
    sortOrder: sortOrder ?? 'Descending',
    nameContains,
    statusEquals,
    creationTimeBefore: seconds('CreationTimeBefore'),
    creationTimeAfter: seconds('CreationTimeAfter'),
    lastModifiedTimeBefore: seconds('LastModifiedTimeBefore'),
    lastModifiedTimeAfter: seconds('LastModifiedTimeAfter'),
  };
  throwIfViolations(v);
  return query;
}

/** Seeds go through the same rule, so a demo cannot show an instance the real API could never hold. */
export function isValidName(name: string): boolean {
  return name.length <= 63 && NAME_REGEX.test(name);
}
