//! The standalone page: installs a panic hook and mounts the form into every `[data-create-workspace]`.

fn main() {
    // A panic aborts the module; say why in the console, where `RuntimeError: unreachable` alone would not.
    std::panic::set_hook(Box::new(|info| {
        web_sys::console::error_1(&format!("workspace console: {info}").into());
    }));
    workspace_console::embed::mount_all();
}
