import { mkdir, writeFile, access } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { MediaStore } from '../../shared/images/pipeline.ts';

/** The local stand-in for the media bucket: a folder served at /media/. */
export function fileMediaStore(root: string): MediaStore & { has(path: string): Promise<boolean> } {
  return {
    async put(path, body) {
      const file = join(root, path);
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, body);
    },
    async has(path) {
      return access(join(root, path)).then(
        () => true,
        () => false,
      );
    },
  };
}
