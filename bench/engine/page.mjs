// Runs the browser UMAPs the benchmark compares Vejkort with, on one thread of this page, on the very same
// float32 matrix the other tools read. Each run returns its seconds and the 2-D layout.
// Embedding Atlas is unpacked by scripts/bench-engine.sh (npm pack): its full install pulls packages npm lacks.
import { createUMAP } from '/target/bench/npm/embedding-atlas/dist/umap.js';

async function loadNpy(name) {
  const buffer = await (await fetch(`/target/bench/data/${name}.npy`)).arrayBuffer();
  const bytes = new Uint8Array(buffer);
  const headerLength = bytes[8] | (bytes[9] << 8);
  const header = new TextDecoder().decode(bytes.subarray(10, 10 + headerLength));
  const shape = header.match(/'shape': \((\d+), (\d+)\)/);
  if (!header.includes("'<f4'") || !shape) throw new Error(`${name}.npy: expected a float32 matrix, got ${header}`);
  const [rows, cols] = [Number(shape[1]), Number(shape[2])];
  return { rows, cols, values: new Float32Array(buffer, 10 + headerLength, rows * cols) };
}

window.runUmapJs = async (name) => {
  const { rows, cols, values } = await loadNpy(name);
  const data = Array.from({ length: rows }, (_, i) => Array.from(values.subarray(i * cols, (i + 1) * cols)));
  let state = 42;
  const random = () => ((state = (state * 1664525 + 1013904223) >>> 0) / 4294967296);
  const started = performance.now();
  const umap = new window.UMAP.UMAP({ nNeighbors: 15, minDist: 0.1, nComponents: 2, random });
  const layout = await umap.fitAsync(data);
  const seconds = (performance.now() - started) / 1000;
  return { seconds, layout: layout.flat() };
};

window.runAtlas = async (name) => {
  const { rows, cols, values } = await loadNpy(name);
  const started = performance.now();
  const umap = await createUMAP(rows, cols, 2, values, { metric: 'cosine', nNeighbors: 15, minDist: 0.1, seed: 42 });
  await umap.run();
  const seconds = (performance.now() - started) / 1000;
  return { seconds, layout: Array.from(umap.embedding) };
};

window.benchReady = true;
