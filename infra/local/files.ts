/**
 * The local stand-ins' files (the catalog snapshots, the sellers' e-invoice accounts): read as
 * "absent" rather than an error when there is none, and replaced whole, never seen half written.
 */
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** The file's bytes, or undefined when there is no such file. */
export async function readIfPresent(file: string): Promise<Buffer | undefined> {
  try {
    return await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Writes the file whole under another name, then renames it over the old one (as an S3 PUT or an
 * SSM parameter is replaced). With `mode`, the folder is made 0700 and the file gets that mode,
 * whatever the umask did.
 */
export async function writeWhole(file: string, body: string | Uint8Array, mode?: number): Promise<void> {
  await mkdir(dirname(file), { recursive: true, ...(mode === undefined ? {} : { mode: 0o700 }) });
  const partial = `${file}.${process.pid}.partial`;
  await writeFile(partial, body, mode === undefined ? {} : { mode });
  if (mode !== undefined) await chmod(partial, mode);
  await rename(partial, file);
}
