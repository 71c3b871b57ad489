fn main() -> std::process::ExitCode {
    territoryctl::app::main()
}
