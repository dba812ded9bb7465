// A large save in JupyterLab's 1 MiB chunks, made so that a save stopped half-way (Cancel, a dropped
// connection, a stopped instance) never leaves a partial or damaged file. The chunks go to a temporary file
// beside the target (a visible name: jupyter_server refuses hidden ones), which takes the target's place only
// once it is complete. Jupyter's rename (PATCH) refuses a target that exists (409), so an existing file is
// first renamed aside, the new one renamed into its place, and the old one deleted (to Jupyter's trash when
// it has one). The target is missing only between those two renames, and is put back if the second fails.
// The next chunk is encoded while the previous one is on its way. No vscode at run time.
import { randomBytes } from 'node:crypto';
import { ContentsError, type ContentsApi } from './contents';
import { chunkBody, chunksOf, type ContentsModel } from './model';
import { baseName, joinPath, parentOf } from './uri';

export interface ChunkedSave {
  /** A file is at the target now (it is replaced, never written into). */
  readonly replacing: boolean;
  /** Bytes on the instance so far. */
  readonly progress?: (sent: number, total: number) => void;
  /** Stops the save before its next chunk; once every chunk is up, the save completes. */
  readonly signal?: AbortSignal;
}

export interface Saved {
  readonly model: ContentsModel;
  /** The previous version, when it could not be deleted after the new one took its place. */
  readonly previousLeftAt?: string;
}

/** A chunked save that stopped (cancelled or failed): the target is as it was, unless `previousAt` says otherwise. */
export class SaveStopped extends Error {
  constructor(
    readonly cancelled: boolean,
    readonly sent: number,
    readonly total: number,
    /** The temporary file, when it could not be removed. */
    readonly partialAt: string | undefined,
    /** Where the previous version is, when it could not be put back. */
    readonly previousAt: string | undefined,
    readonly reason?: unknown,
  ) {
    super(cancelled ? 'The save was cancelled' : `The save stopped: ${(reason as Error)?.message ?? String(reason)}`);
    this.name = 'SaveStopped';
  }
}

/** The temporary names of a save of `path`: `<name>.<id>.sagemaker-upload` and `<name>.<id>.sagemaker-previous`. */
export function temporaryNames(path: string, id = randomBytes(4).toString('hex')): { upload: string; previous: string } {
  const dir = parentOf(path);
  const name = baseName(path);
  return { upload: joinPath(dir, `${name}.${id}.sagemaker-upload`), previous: joinPath(dir, `${name}.${id}.sagemaker-previous`) };
}

export async function saveInChunks(api: ContentsApi, path: string, bytes: Uint8Array, options: ChunkedSave): Promise<Saved> {
  const { upload, previous } = temporaryNames(path);
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const chunks = chunksOf(buffer.byteLength);
  const total = buffer.byteLength;
  const bodyOf = (i: number) => chunkBody(upload, buffer.subarray(chunks[i].start, chunks[i].end).toString('base64'), chunks[i].number);
  // Gone already (its first chunk was refused) counts as removed.
  const removeUpload = () =>
    api.delete(upload).then(
      () => undefined,
      (error: unknown) => (error instanceof ContentsError && error.kind === 'notFound' ? undefined : upload),
    );
  let sent = 0;
  let started = false;
  try {
    let body = bodyOf(0);
    for (let i = 0; i < chunks.length; i++) {
      if (options.signal?.aborted) throw new SaveStopped(true, sent, total, undefined, undefined);
      started = true;
      const request = api.writeChunk(upload, body);
      // Encoded once this request is on the wire (its send waits on a microtask first), while Jupyter writes.
      const next = i + 1 < chunks.length ? new Promise<string>((resolve) => setImmediate(() => resolve(bodyOf(i + 1)))) : undefined;
      await request;
      sent = chunks[i].end;
      options.progress?.(sent, total);
      if (next) body = await next;
    }
    if (options.signal?.aborted) throw new SaveStopped(true, sent, total, undefined, undefined);
  } catch (error) {
    const partialAt = started ? await removeUpload() : undefined;
    if (error instanceof SaveStopped) throw new SaveStopped(true, sent, total, partialAt, undefined);
    throw new SaveStopped(false, sent, total, partialAt, undefined, error);
  }
  if (options.replacing) {
    try {
      await api.rename(path, previous);
    } catch (error) {
      throw new SaveStopped(false, sent, total, await removeUpload(), undefined, error);
    }
  }
  let model: ContentsModel;
  try {
    model = await api.rename(upload, path);
  } catch (error) {
    const previousAt = options.replacing
      ? await api.rename(previous, path).then(
          () => undefined,
          () => previous,
        )
      : undefined;
    throw new SaveStopped(false, sent, total, await removeUpload(), previousAt, error);
  }
  if (!options.replacing) return { model };
  const previousLeftAt = await api.delete(previous).then(
    () => undefined,
    () => previous,
  );
  return { model, previousLeftAt };
}
