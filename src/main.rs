//! The standalone page: installs the panic hook and mounts the form into every `[data-create-workspace]`.

fn main() {
    console_error_panic_hook::set_once();
    workspace_console::embed::mount_all();
}
