import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, normalize } from 'node:path';

/** Where uploaded files live. The file system is the default; an S3 adapter can take its place. */
export interface Storage {
  put(data: Buffer, extension: string): Promise<string>;
  get(key: string): Promise<Buffer>;
  remove(key: string): Promise<void>;
}

// The name is ours (a UUID); the extension says what it holds (photos, PDFs, office files of mails).
const KEY_PATTERN = /^\d{4}\/\d{2}\/[0-9a-f-]{36}(-thumb)?\.[a-z0-9]{1,8}$/;

export function fileStorage(root: string): Storage {
  const pathOf = (key: string) => {
    if (!KEY_PATTERN.test(key)) throw new Error(`invalid storage key ${key}`);
    return normalize(join(root, key));
  };
  return {
    async put(data, extension) {
      const now = new Date();
      const key = `${now.getUTCFullYear()}/${String(now.getUTCMonth() + 1).padStart(2, '0')}/${randomUUID()}.${extension}`;
      const path = pathOf(key);
      await mkdir(dirname(path), { recursive: true });
      // Write then rename, so a crash never leaves half a file under a key the database knows.
      await writeFile(`${path}.part`, data);
      await rename(`${path}.part`, path);
      return key;
    },
    get: (key) => readFile(pathOf(key)),
    remove: (key) => rm(pathOf(key), { force: true }),
  };
}
