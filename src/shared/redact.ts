// The last line of defence for anything written to the log or shown in a message: callers never pass a
// presigned URL, a cookie or a key, but an SDK or server error might quote one.

/** Removes anything that would let a reader open a notebook, reuse its session or sign a request. */
export function redact(text: string): string {
  return text
    .replace(/(authToken=)[^&\s"'<>]+/gi, '$1<redacted>')
    .replace(/(X-Amz-(?:Signature|Credential|Security-Token)=)[^&\s"'<>]+/gi, '$1<redacted>')
    .replace(/\b(A[SK]IA[A-Z0-9]{12,})\b/g, '<access-key>')
    .replace(/(aws_secret_access_key|aws_session_token)\s*=\s*\S+/gi, '$1=<redacted>')
    .replace(/\b(_xsrf|username-[\w-]+|sagemaker-notebook-proxy)=[^;&\s"'<>]+/gi, '$1=<redacted>');
}
