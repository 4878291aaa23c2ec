#if canImport(Glibc)
import Glibc
#endif

/// Reads a whole file into `[UInt8]` with POSIX calls (no Foundation, no extra copy).
enum FileBytes {
    struct ReadError: Error, CustomStringConvertible {
        var description: String
    }

    static func read(_ path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw ReadError(description: "cannot open \(path)") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw ReadError(description: "cannot stat \(path)") }
        let size = Int(info.st_size)
        var failed = false
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            var done = 0
            guard let start = buffer.baseAddress else {
                initialized = 0
                return
            }
            while done < size {
                let n = Glibc.read(fd, start + done, size - done)
                if n <= 0 { failed = n < 0; break }
                done += n
            }
            initialized = done
        }
        if failed { throw ReadError(description: "cannot read \(path)") }
        return bytes
    }
}
