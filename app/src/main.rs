//! SSM Compliance Doctor in the browser. Views, signals and browser glue only: every decision
//! about compliance is made by the `diagnosis` crate, which runs in the worker (`worker/`).

mod app;
mod browser;
mod examples;
mod keep;
mod state;
mod texts;
mod views;
mod workspace;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
