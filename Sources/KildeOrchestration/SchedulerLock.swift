#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The one-scheduler rule of the embedded store: an exclusive `flock` on `<store>.scheduler.lock`, held for the
/// life of the process (the kernel releases it when the process ends, however it ends). The holder's pid is written
/// into the file, so a second scheduler can say who holds it.
public final class SchedulerLock: Sendable {
    /// Another process holds the lock.
    public struct Held: Error, CustomStringConvertible, Sendable {
        public var path: String
        public var holder: String?
        public var description: String {
            "another scheduler already runs on this store (\(holder.map { "pid \($0)" } ?? "unknown process"), lock \(path)); "
                + "an embedded SQLite store has one scheduler: stop it first, or use PostgreSQL for several workers"
        }
    }

    public let path: String
    private let descriptor: Int32

    /// Takes the lock beside the SQLite file at `storePath`.
    /// - Throws: ``Held`` when another process holds it; a POSIX error message when the file cannot be opened.
    public init(storePath: String) throws {
        path = storePath + ".scheduler.lock"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path]) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            var buffer = [UInt8](repeating: 0, count: 32)
            let n = pread(fd, &buffer, buffer.count, 0)
            close(fd)
            let holder = n > 0 ? String(decoding: buffer.prefix(n), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) : nil
            throw Held(path: path, holder: holder)
        }
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        _ = pwrite(fd, pid, pid.count, 0)
        descriptor = fd
    }

    deinit { close(descriptor) }
}
