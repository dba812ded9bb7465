// CloudWatch Logs on the local endpoint (AWS JSON 1.1, `X-Amz-Target: Logs_20140328.<Op>`, signed for
// service `logs`): GetLogEvents and FilterLogEvents over the log events the lifecycle runner writes.
// Forward tokens behave as CloudWatch's do: at the end of a stream the same token comes back, so a client
// following a stream asks again with it and gets only what was written since.
import { ApiError, throwIfViolations } from './protocol';
import { checkRange, checkString, typed } from './validate';

export const LOGS_TARGET_PREFIX = 'Logs_20140328.';

export interface LogEvent {
  timestamp: number;
  message: string;
  ingestionTime: number;
}

type Input = Record<string, unknown>;

export class LogStore {
  /** (access key, region) → group → stream → events, oldest first. */
  private readonly data = new Map<string, Map<string, Map<string, LogEvent[]>>>();

  private groups(accessKeyId: string, region: string): Map<string, Map<string, LogEvent[]>> {
    const key = `${accessKeyId}\n${region}`;
    let g = this.data.get(key);
    if (!g) this.data.set(key, (g = new Map()));
    return g;
  }

  append(accessKeyId: string, region: string, group: string, stream: string, message: string, timestamp: number): void {
    const groups = this.groups(accessKeyId, region);
    let streams = groups.get(group);
    if (!streams) groups.set(group, (streams = new Map()));
    let events = streams.get(stream);
    if (!events) streams.set(stream, (events = []));
    events.push({ timestamp, message, ingestionTime: timestamp });
  }

  streams(accessKeyId: string, region: string, group: string): Map<string, LogEvent[]> {
    const streams = this.groups(accessKeyId, region).get(group);
    if (!streams) throw new ApiError('ResourceNotFoundException', 'The specified log group does not exist.');
    return streams;
  }
}

function groupName(input: Input, v: string[]): string {
  const identifier = typed<string>(input, 'logGroupIdentifier', 'string');
  const name = checkString(input, 'logGroupName', v, {
    required: identifier === undefined,
    min: 1,
    max: 512,
    pattern: '[\\.\\-_/#A-Za-z0-9]+',
  });
  return name ?? identifier?.replace(/^arn:[^:]+:logs:[^:]*:\d*:log-group:/, '').replace(/:\*$/, '') ?? '';
}

function decodeToken(token: string | undefined, prefix: 'f' | 'b' | 'n'): number | undefined {
  if (token === undefined) return undefined;
  const m = new RegExp(`^${prefix}/(\\d{1,10})$`).exec(token);
  if (!m) throw new ApiError('InvalidParameterException', 'The specified nextToken is invalid.');
  return Number(m[1]);
}

export function getLogEvents(store: LogStore, accessKeyId: string, region: string, input: Input): unknown {
  const v: string[] = [];
  const group = groupName(input, v);
  const stream = checkString(input, 'logStreamName', v, { required: true, min: 1, max: 512, pattern: '[^:*]*' });
  const limit = checkRange(input, 'limit', v, 1, 10000) ?? 10000;
  const nextToken = checkString(input, 'nextToken', v, { min: 1, max: 1024 });
  const startTime = typed<number>(input, 'startTime', 'number');
  const endTime = typed<number>(input, 'endTime', 'number');
  const fromHead = input.startFromHead === true;
  throwIfViolations(v);
  const events = store.streams(accessKeyId, region, group).get(stream!);
  if (!events) throw new ApiError('ResourceNotFoundException', 'The specified log stream does not exist.');
  const inRange = events.filter(
    (e) => (startTime === undefined || e.timestamp >= startTime) && (endTime === undefined || e.timestamp < endTime),
  );
  const forward = nextToken?.startsWith('f/') ? decodeToken(nextToken, 'f') : undefined;
  const backward = nextToken?.startsWith('b/') ? decodeToken(nextToken, 'b') : undefined;
  if (nextToken !== undefined && forward === undefined && backward === undefined) decodeToken(nextToken, 'f');
  let from: number;
  let to: number;
  if (forward !== undefined) [from, to] = [forward, Math.min(inRange.length, forward + limit)];
  else if (backward !== undefined) [from, to] = [Math.max(0, backward - limit), backward];
  else if (fromHead) [from, to] = [0, Math.min(inRange.length, limit)];
  else [from, to] = [Math.max(0, inRange.length - limit), inRange.length];
  return {
    events: inRange.slice(from, to),
    nextForwardToken: `f/${to}`,
    nextBackwardToken: `b/${from}`,
  };
}

export function filterLogEvents(store: LogStore, accessKeyId: string, region: string, input: Input): unknown {
  const v: string[] = [];
  const group = groupName(input, v);
  const prefix = checkString(input, 'logStreamNamePrefix', v, { min: 1, max: 512, pattern: '[^:*]*' });
  const names = input.logStreamNames;
  if (names !== undefined && (!Array.isArray(names) || names.some((n) => typeof n !== 'string')))
    throw new ApiError('SerializationException', 'Unexpected value type for logStreamNames');
  if (prefix !== undefined && names !== undefined)
    throw new ApiError('InvalidParameterException', 'You cannot specify both LogStreamNames and LogStreamNamePrefix.');
  const limit = checkRange(input, 'limit', v, 1, 10000) ?? 10000;
  const pattern = checkString(input, 'filterPattern', v, { max: 1024 });
  const startTime = typed<number>(input, 'startTime', 'number');
  const endTime = typed<number>(input, 'endTime', 'number');
  const offset = decodeToken(checkString(input, 'nextToken', v, { min: 1, max: 1024 }), 'n') ?? 0;
  throwIfViolations(v);
  const terms = (pattern ?? '')
    .split(/\s+/)
    .filter(Boolean)
    .map((t) => t.replace(/^"|"$/g, ''));
  const all = [...store.streams(accessKeyId, region, group)]
    .filter(([name]) => (names ? (names as string[]).includes(name) : prefix === undefined || name.startsWith(prefix)))
    .flatMap(([name, events]) => events.map((e, i) => ({ ...e, logStreamName: name, eventId: `${name}:${i}` })))
    .filter((e) => (startTime === undefined || e.timestamp >= startTime) && (endTime === undefined || e.timestamp < endTime))
    .filter((e) => terms.every((t) => e.message.includes(t)))
    .sort((a, b) => a.timestamp - b.timestamp);
  const page = all.slice(offset, offset + limit);
  const end = offset + page.length;
  return { events: page, nextToken: end < all.length ? `n/${end}` : undefined, searchedLogStreams: [] };
}
