// The render benchmark's page. `?renderer=vejkort-webgl2|vejkort-canvas2d|regl-scatterplot&points=N&frames=F`
// draws N seeded clustered points, then animates a continuous pan and zoom for F frames, one camera step per
// requestAnimationFrame, and publishes the frame intervals on window.benchResult.
import init, { Bench } from './pkg/bench.js';
import { createScatterplot } from './regl-scatterplot.js';

const SIZE_PX = 800;
const RADIUS_PX = 3.5;
const CLUSTERS = 20;
// Paul Tol's muted scheme, as the app's palette starts.
const PALETTE = ['#332288', '#88ccee', '#44aa99', '#117733', '#999933', '#ddcc77', '#cc6677', '#882255', '#aa4499',
  '#dddddd'];

/** mulberry32: a small seeded generator, so every renderer gets the same points. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** N points in CLUSTERS Gaussian blobs inside [-1, 1]², with a cluster id each. */
function clusteredPoints(n, seed = 7) {
  const next = random(seed);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  const centres = Array.from({ length: CLUSTERS }, () => [next() * 1.4 - 0.7, next() * 1.4 - 0.7, 0.04 + next() * 0.12]);
  const xy = new Float32Array(2 * n);
  const cluster = new Uint8Array(n);
  for (let i = 0; i < n; i += 1) {
    const c = Math.floor(next() * CLUSTERS);
    const [cx, cy, spread] = centres[c];
    xy[2 * i] = Math.max(-1, Math.min(1, cx + gaussian() * spread));
    xy[2 * i + 1] = Math.max(-1, Math.min(1, cy + gaussian() * spread));
    cluster[i] = c;
  }
  return { xy, cluster };
}

/** The camera at step `t` (0–1) of the loop: a circle of panning while zooming from 1× to 6× and back. */
function cameraAt(t) {
  const angle = 2 * Math.PI * t;
  const zoom = 1 + 5 * (0.5 - 0.5 * Math.cos(angle));
  return { x: 0.3 * Math.sin(angle), y: 0.2 * Math.sin(2 * angle), zoom };
}

function rgba(hex) {
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).concat(230);
}

function stats(intervals) {
  const sorted = [...intervals].sort((a, b) => a - b);
  const mean = intervals.reduce((s, v) => s + v, 0) / intervals.length;
  return { mean, p95: sorted[Math.min(sorted.length - 1, Math.floor(0.95 * sorted.length))], max: sorted.at(-1) };
}

function canvas() {
  const element = document.createElement('canvas');
  document.getElementById('stage').append(element);
  return element;
}

async function setUp(renderer, points) {
  const dpr = window.devicePixelRatio;
  if (renderer.startsWith('vejkort-')) {
    await init();
    const colours = new Uint8Array(4 * points.cluster.length);
    const table = PALETTE.map(rgba);
    for (let i = 0; i < points.cluster.length; i += 1) colours.set(table[points.cluster[i] % PALETTE.length], 4 * i);
    const bench = new Bench(canvas(), canvas(), canvas(), renderer.slice('vejkort-'.length), points.xy, colours,
      RADIUS_PX, SIZE_PX, SIZE_PX, dpr);
    // Hover's grid index: build time, and query time with the app's reach (8 CSS px) at the fitted view.
    let begin = performance.now();
    bench.build_index();
    const indexBuildMs = performance.now() - begin;
    const queries = 20000;
    begin = performance.now();
    const hits = bench.query_index(queries, 8 / (SIZE_PX / 2));
    const queryMs = performance.now() - begin;
    window.indexResult = { indexBuildMs, queryUs: (queryMs * 1000) / queries, hitShare: hits / queries,
      totalMs: indexBuildMs + queryMs };
    // Data space is [-1, 1]², so the fitted view has SIZE_PX / 2 CSS pixels per unit.
    return (camera) => bench.frame(camera.x, camera.y, (SIZE_PX / 2) * camera.zoom);
  }
  const element = canvas();
  const scatterplot = createScatterplot({
    canvas: element, width: SIZE_PX, height: SIZE_PX, pointSize: 2 * RADIUS_PX,
    pointColor: PALETTE, colorBy: 'valueA', opacity: 0.9,
    // Vejkort keeps points the same size on screen at every zoom; so must the comparison.
    pointScaleMode: 'constant',
  });
  const data = new Array(points.cluster.length);
  for (let i = 0; i < data.length; i += 1) data[i] = [points.xy[2 * i], points.xy[2 * i + 1], points.cluster[i] % PALETTE.length, 0];
  await scatterplot.draw(data);
  return (camera) => scatterplot.set({ cameraTarget: [camera.x, camera.y], cameraDistance: 1 / camera.zoom });
}

async function run() {
  const query = new URLSearchParams(location.search);
  const renderer = query.get('renderer') ?? 'vejkort-webgl2';
  const n = Number(query.get('points') ?? 100000);
  const frames = Number(query.get('frames') ?? 120);
  const points = clusteredPoints(n);
  const started = performance.now();
  const show = await setUp(renderer, points);
  const setUpMs = performance.now() - started - (window.indexResult?.totalMs ?? 0);
  show(cameraAt(0));
  // Let the first frame (uploads, shader compilation) pass before timing.
  await new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok)));
  const intervals = [];
  await new Promise((done) => {
    let frame = 0;
    let last = performance.now();
    const step = (now) => {
      if (frame > 0) intervals.push(now - last);
      last = now;
      if (frame === frames) {
        done();
        return;
      }
      show(cameraAt(frame / frames));
      frame += 1;
      requestAnimationFrame(step);
    };
    requestAnimationFrame(step);
  });
  window.benchResult = { renderer, points: n, frames, setUpMs, ...stats(intervals), index: window.indexResult };
}

run().catch((error) => {
  window.benchResult = { error: String(error?.stack ?? error) };
});
