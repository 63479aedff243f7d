//! Starts Vejkort in the browser.

fn main() {
    console_error_panic_hook::set_once();
    vejkort::upload::expose_wasm_memory();
    leptos::mount::mount_to_body(vejkort::App);
}
