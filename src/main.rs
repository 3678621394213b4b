// Trunk builds this binary; everything lives in the library so that browser tests can use it too.
fn main() {
    commune_reader::mount::start();
}
