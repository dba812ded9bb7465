// AWS JSON 1.1 framing: how requests are read and how answers and errors are written, so that the
// unmodified SDK deserializes them exactly as it would a real SageMaker response.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export const JSON_CONTENT_TYPE = 'application/x-amz-json-1.1';
export const TARGET_PREFIX = 'SageMaker.';

/** An error the endpoint answers with; `type` becomes `__type`, which the SDK turns into `err.name`. */
export class ApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly statusCode = 400,
  ) {
    super(message);
  }
}

export function validationError(message: string): ApiError {
  return new ApiError('ValidationException', message);
}

/** One constraint violation in the wording the real service uses ("Value 'x' at 'y' failed to ..."). */
export function violation(value: unknown, field: string, constraint: string): string {
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- the service quotes whatever value it got
  const shown = value === undefined || value === null ? 'null' : `'${String(value)}'`;
  return `Value ${shown} at '${field}' failed to satisfy constraint: ${constraint}`;
}

/** Joins violations into the single message AWS sends ("2 validation errors detected: a; b"). */
export function throwIfViolations(violations: string[]): void {
  if (violations.length === 0) return;
  const noun = violations.length === 1 ? 'validation error' : 'validation errors';
  throw validationError(`${violations.length} ${noun} detected: ${violations.join('; ')}`);
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Parses the body as a JSON object; anything else is what AWS calls a SerializationException. */
export function parseInput(body: string): Record<string, unknown> {
  if (body.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new ApiError('SerializationException', 'Start of structure or map found where not expected.');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ApiError('SerializationException', 'Start of structure or map found where not expected.');
  }
  return parsed as Record<string, unknown>;
}

function baseHeaders(contentType: string, length: number): Record<string, string | number> {
  return { 'Content-Type': contentType, 'Content-Length': length, 'x-amzn-RequestId': randomUUID() };
}

export function sendJson(res: ServerResponse, output: unknown): void {
  const body = JSON.stringify(output ?? {});
  res.writeHead(200, baseHeaders(JSON_CONTENT_TYPE, Buffer.byteLength(body)));
  res.end(body);
}

export function sendError(res: ServerResponse, error: ApiError): void {
  // ResourceLimitExceeded is modelled by SageMaker with a `Message` member; the generic errors use `message`.
  const key = error.type === 'ResourceLimitExceeded' ? 'Message' : 'message';
  const body = JSON.stringify({ __type: error.type, [key]: error.message });
  res.writeHead(error.statusCode, {
    ...baseHeaders(JSON_CONTENT_TYPE, Buffer.byteLength(body)),
    'x-amzn-ErrorType': error.type,
  });
  res.end(body);
}

/** What a load balancer in front of the service sends when it fails: HTML, not JSON. */
export function sendHtmlFailure(res: ServerResponse, statusCode: 500 | 503): void {
  const title = statusCode === 500 ? '500 Internal Server Error' : '503 Service Unavailable';
  const body = `<html><body><h1>${title}</h1></body></html>`;
  res.writeHead(statusCode, { 'Content-Type': 'text/html', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/** The operation name from `X-Amz-Target: SageMaker.<Op>`, or undefined when absent or foreign. */
export function operationOf(req: IncomingMessage): string | undefined {
  const target = req.headers['x-amz-target'];
  if (typeof target !== 'string' || !target.startsWith(TARGET_PREFIX)) return undefined;
  return target.slice(TARGET_PREFIX.length);
}
