// Loads Vejkort's WebAssembly from the app's own origin. A file of its own, not an inline script, so the
// Content-Security-Policy can forbid inline scripts altogether.
import init from './vejkort-app.js';

await init({ module_or_path: './vejkort-app_bg.wasm' });
