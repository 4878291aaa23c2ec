import CLibFuzzer
#if canImport(Glibc)
import Glibc
#endif

/// libFuzzer, started from a SwiftPM executable. SwiftPM gives every executable its own `main` (the module's, under
/// another name, aliased at link time), which wins over libFuzzer's; so that `main` calls libFuzzer's driver with the
/// process's flags. The runtime's own `main` is still linked and names `LLVMFuzzerTestOneInput`, so each target
/// exports its body under that name too (`@_cdecl`) and passes the same function here.
public enum LibFuzzer {
    /// One input: the bytes (the pointer may be `nil` when the input is empty) and their count. Return 0; trap on a
    /// bug (a crash, a failed precondition); a sanitizer reports the rest.
    public typealias Body = @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt

    /// Runs libFuzzer with `CommandLine`'s flags (`-max_total_time=…`, corpus directories, …) and exits with its status.
    public static func run(_ body: Body) -> Never {
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, body))
    }
}
