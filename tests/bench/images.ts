/**
 * Photo pipeline figures (issue #3 budgets). Prints, asserts nothing:
 * - a 12 MP (4000×3000) camera JPEG through the full variant set (AVIF, WebP, JPEG at 320, 640,
 *   1280) on ONE core: the pipeline run in a child process pinned to one CPU with `taskset`
 *   (sharp.concurrency(1)), and the CPU time it used; budget ≤ 3 s;
 * - AVIF bytes against JPEG q80 bytes at each width; budget ≤ 50 %;
 * - the 320 px AVIF of a typical product photo; budget ≤ 25 KB.
 * The photo is generated (colour fields, leaf shapes with edges, texture and grain), not a flat
 * colour, so sizes are those of a real picture; it is harder to compress than most product photos.
 *
 * Run alone: `npx tsx tests/bench/images.ts`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp, { type OutputInfo, type Sharp } from 'sharp';
import { IMAGE_WIDTHS } from '../../shared/domain/catalog-view.ts';
import { encodeRendition, processImage, type MediaStore } from '../../shared/images/pipeline.ts';
import { photoJpeg } from '../fixtures/images/generate.ts';

const BUDGET = { seconds12mp: 3, avifToJpeg: 0.5, avif320Bytes: 25 * 1024 };
const RUNS = 3;
const THIS_FILE = fileURLToPath(import.meta.url);

interface Timing {
  wallMs: number[];
  cpuMs: number[];
  sizes: Record<string, number>;
}

/** Runs the pipeline RUNS times on one JPEG with one libvips thread; wall and CPU time per run. */
async function timePipeline(jpeg: Buffer): Promise<Timing> {
  sharp.concurrency(1);
  const sizes: Record<string, number> = {};
  const store: MediaStore = {
    async put(path, body) {
      sizes[path.replace(/^bench\//, '')] = body.length;
    },
  };
  await processImage(await sharp(jpeg).resize(640).jpeg().toBuffer(), 'warm-up', { put: async () => {} });
  const wallMs: number[] = [];
  const cpuMs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const cpu = process.cpuUsage();
    const start = performance.now();
    await processImage(jpeg, 'bench', store);
    wallMs.push(performance.now() - start);
    const used = process.cpuUsage(cpu);
    cpuMs.push((used.user + used.system) / 1000);
  }
  return { wallMs, cpuMs, sizes };
}

/**
 * The same measurement in a child process pinned to one CPU, so "on one core" is what was
 * measured rather than inferred. Falls back to this process when `taskset` is missing.
 */
async function timeOnOneCore(jpeg: Buffer): Promise<Timing & { pinned: boolean }> {
  if (!existsSync('/usr/bin/taskset')) return { ...(await timePipeline(jpeg)), pinned: false };
  const dir = mkdtempSync(join(tmpdir(), 'bench-images-'));
  try {
    writeFileSync(join(dir, 'photo.jpg'), jpeg);
    const child = spawnSync(
      '/usr/bin/taskset',
      ['-c', '0', process.execPath, '--import', 'tsx', THIS_FILE, '--child', dir],
      { encoding: 'utf8', env: { ...process.env, UV_THREADPOOL_SIZE: '1' } },
    );
    if (child.status !== 0) throw new Error(`one-core run failed: ${child.stderr}`);
    return { ...(JSON.parse(readFileSync(join(dir, 'timing.json'), 'utf8')) as Timing), pinned: true };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const met = (ok: boolean) => (ok ? 'met' : 'NOT met');

/** Luma SSIM (8×8 windows, stride 4) of an encoded rendition against the unencoded one: for information. */
async function ssim(reference: { data: Buffer; info: OutputInfo }, encoded: Buffer): Promise<number> {
  const { width, height } = reference.info;
  const luma = (input: Sharp) => input.resize(width, height, { fit: 'fill' }).greyscale().raw().toBuffer();
  const a = await luma(sharp(reference.data, { raw: reference.info }));
  const b = await luma(sharp(encoded));
  const c1 = (0.01 * 255) ** 2;
  const c2 = (0.03 * 255) ** 2;
  let sum = 0;
  let windows = 0;
  for (let y = 0; y + 8 <= height; y += 4) {
    for (let x = 0; x + 8 <= width; x += 4) {
      let ma = 0;
      let mb = 0;
      for (let j = 0; j < 8; j++) {
        for (let i = 0; i < 8; i++) {
          ma += a[(y + j) * width + x + i]!;
          mb += b[(y + j) * width + x + i]!;
        }
      }
      ma /= 64;
      mb /= 64;
      let va = 0;
      let vb = 0;
      let cov = 0;
      for (let j = 0; j < 8; j++) {
        for (let i = 0; i < 8; i++) {
          const da = a[(y + j) * width + x + i]! - ma;
          const db = b[(y + j) * width + x + i]! - mb;
          va += da * da;
          vb += db * db;
          cov += da * db;
        }
      }
      sum +=
        ((2 * ma * mb + c1) * ((2 * cov) / 63 + c2)) / ((ma * ma + mb * mb + c1) * ((va + vb) / 63 + c2));
      windows++;
    }
  }
  return sum / windows;
}

export async function benchImages(): Promise<void> {
  const generated = performance.now();
  const photo = await photoJpeg(4000, 3000);
  console.log(
    `\nPhoto pipeline: 4000×3000 photo-like JPEG (q92, ${kb(photo.length)}, generated in ${((performance.now() - generated) / 1000).toFixed(1)} s)`,
  );

  const timing = await timeOnOneCore(photo);
  const wall = median(timing.wallMs) / 1000;
  const cpu = median(timing.cpuMs) / 1000;
  console.log(
    `Full variant set (9 renditions), sharp.concurrency(1), ${timing.pinned ? 'pinned to one CPU (taskset -c 0)' : 'NOT pinned (no taskset)'}, median of ${RUNS}:`,
  );
  console.table([
    {
      measure: 'wall time on one core',
      value: `${wall.toFixed(2)} s`,
      runs: timing.wallMs.map((ms) => (ms / 1000).toFixed(2)).join(' / '),
      budget: `≤ ${BUDGET.seconds12mp} s`,
      result: met(wall <= BUDGET.seconds12mp),
    },
    {
      measure: 'CPU time (all threads)',
      value: `${cpu.toFixed(2)} s`,
      runs: timing.cpuMs.map((ms) => (ms / 1000).toFixed(2)).join(' / '),
      budget: `≤ ${BUDGET.seconds12mp} s`,
      result: met(cpu <= BUDGET.seconds12mp),
    },
  ]);

  // Sizes come from the pipeline's own renditions; SSIM against the same 1280 px intermediate
  // the pipeline encodes from, resized per width, shows what the bytes buy.
  const intermediate = await sharp(photo).resize({ width: 1280 }).raw().toBuffer({ resolveWithObject: true });
  const rows = [];
  for (const width of IMAGE_WIDTHS) {
    const avif = timing.sizes[`${width}.avif`]!;
    const jpeg = timing.sizes[`${width}.jpg`]!;
    const webp = timing.sizes[`${width}.webp`]!;
    const reference = await sharp(intermediate.data, { raw: intermediate.info })
      .resize({ width })
      .raw()
      .toBuffer({ resolveWithObject: true });
    const ref = sharp(reference.data, { raw: reference.info });
    rows.push({
      width,
      'JPEG q80': kb(jpeg),
      WebP: kb(webp),
      AVIF: kb(avif),
      'AVIF / JPEG': `${((avif / jpeg) * 100).toFixed(0)} %`,
      budget: `≤ ${BUDGET.avifToJpeg * 100} %`,
      result: met(avif / jpeg <= BUDGET.avifToJpeg),
      'SSIM JPEG / AVIF (info)': `${(await ssim(reference, await encodeRendition(ref.clone(), 'jpeg').toBuffer())).toFixed(3)} / ${(await ssim(reference, await encodeRendition(ref.clone(), 'avif').toBuffer())).toFixed(3)}`,
    });
  }
  console.log('Rendition sizes of that photo (AVIF q45 effort 2 4:2:0, WebP q78, JPEG mozjpeg q80):');
  console.table(rows);

  const avif320 = timing.sizes['320.avif']!;
  console.table([
    {
      measure: '320 px AVIF of a product photo',
      value: kb(avif320),
      budget: `≤ ${kb(BUDGET.avif320Bytes)}`,
      result: met(avif320 <= BUDGET.avif320Bytes),
    },
  ]);
}

// `--child DIR`: the pinned measurement (see timeOnOneCore). Otherwise run the whole bench.
if (process.argv[1] === THIS_FILE) {
  const childAt = process.argv.indexOf('--child');
  if (childAt > 0) {
    const dir = process.argv[childAt + 1]!;
    const timing = await timePipeline(readFileSync(join(dir, 'photo.jpg')));
    writeFileSync(join(dir, 'timing.json'), JSON.stringify(timing));
  } else {
    await benchImages();
  }
}
