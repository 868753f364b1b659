//! SSM Compliance Doctor in the browser. Views, signals and browser glue only: every decision
//! about compliance is made by the `diagnosis` crate.

mod app;
mod browser;
mod examples;
mod state;
mod texts;
mod views;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
