//! The standalone page: installs a panic hook and mounts the form into every `[data-create-workspace]`.

#[cfg(all(feature = "alloc-talc", target_family = "wasm"))]
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

#[cfg(all(feature = "alloc-lol", target_family = "wasm"))]
#[global_allocator]
// SAFETY: the page's wasm runs on one thread (no atomics target feature).
static LOL: lol_alloc::AssumeSingleThreaded<lol_alloc::FreeListAllocator> =
    unsafe { lol_alloc::AssumeSingleThreaded::new(lol_alloc::FreeListAllocator::new()) };

fn main() {
    // A panic aborts the module; say why in the console, where `RuntimeError: unreachable` alone would not.
    std::panic::set_hook(Box::new(|info| {
        web_sys::console::error_1(&format!("workspace console: {info}").into());
    }));
    workspace_console::embed::mount_all();
}
