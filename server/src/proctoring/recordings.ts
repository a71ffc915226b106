import { createHash } from 'node:crypto';
import { createReadStream, readFileSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { AppError } from '../shared/errors';

/**
 * Where room video (考场录像) may be attached from (issue 13, hole 1). A chief examiner once attached
 * `<data>/keys/*` as "video" and the archive carried it to every auditor. A path is accepted only when its
 * real path (symlinks resolved) lies inside the real recordings folder and outside the data folder; the
 * refusal never echoes the resolved path, so it cannot be used to probe the server's file system.
 */
export type RecordingsFolder = { recordingsDir: string | null; dataDir: string | null };

const inside = (dir: string, path: string): boolean => {
  const rel = relative(dir, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
};

const realOrNull = (path: string): string | null => {
  try {
    return realpathSync(path);
  } catch {
    return null;
  }
};

const outside = () =>
  new AppError(
    'video-outside-recordings',
    '只能附加录像文件夹中的录像文件 / only files inside the recordings folder may be attached',
    400,
  );

/** The real path of a recording to attach, or an AppError: never a file outside the folder, never data. */
export function recordingPath(folder: RecordingsFolder, requested: string): string {
  if (!folder.recordingsDir) throw outside();
  const root = realOrNull(folder.recordingsDir);
  if (!root)
    throw new AppError('recordings-folder-missing', '录像文件夹不存在 / the recordings folder does not exist', 400);
  // A relative name is taken inside the recordings folder; `..` is caught by the containment check below.
  const lexical = resolve(root, requested);
  if (!inside(root, lexical)) throw outside();
  const real = realOrNull(lexical);
  if (!real)
    throw new AppError('file-not-found', '录像文件夹中没有该文件 / no such file in the recordings folder', 400);
  if (!inside(root, real)) throw outside(); // a symlink pointing out of the folder
  const data = folder.dataDir ? (realOrNull(folder.dataDir) ?? resolve(folder.dataDir)) : null;
  // Even a recordings folder configured under (or as) the data folder never yields keys or the database.
  if (data && inside(data, real)) throw outside();
  if (!statSync(real).isFile()) throw outside();
  return real;
}

/**
 * The bytes of an attached recording for the archive, or null when the file is no longer the one that was
 * attached: its stored real path must still be its real path (no symlink swapped in since), outside the data
 * folder, and its content must still hash to the recorded SHA-256. The archive then records it by hash only.
 */
export function attachedRecordingBytes(video: { path: string; sha256: string }, dataDir: string | null): Buffer | null {
  const real = realOrNull(video.path);
  if (!real || real !== video.path) return null;
  const data = dataDir ? (realOrNull(dataDir) ?? resolve(dataDir)) : null;
  if (data && inside(data, real)) return null;
  if (!statSync(real).isFile()) return null;
  const bytes = readFileSync(real);
  return createHash('sha256').update(bytes).digest('hex') === video.sha256 ? bytes : null;
}

export const sha256File = (path: string): Promise<{ sha256: string; size: number }> =>
  new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    let size = 0;
    createReadStream(path)
      .on('data', (chunk) => {
        const b = chunk as Buffer;
        size += b.length;
        hash.update(b);
      })
      .on('error', reject)
      .on('end', () => resolve({ sha256: hash.digest('hex'), size }));
  });
