// esbuild's entry for regl-scatterplot: one self-contained ES module the benchmark page can import offline.
export { default as createScatterplot } from 'regl-scatterplot';
