import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A TCP proxy on loopback in front of a real server, for tests of a server that goes away: ``stop()`` cuts every
/// connection and closes the port, so new connections are refused, as they are by a PostgreSQL that was stopped.
public final class TCPProxy: @unchecked Sendable {
    /// The port the proxy listens on (127.0.0.1).
    public let port: Int
    private let listener: Int32
    private let targetHost: String
    private let targetPort: Int
    private let lock = NSLock()
    private var open: [Int32] = []
    private var stopped = false

    /// Listens on a free loopback port, forwarding each connection to `host:port`.
    public init(to host: String, port targetPort: Int) throws {
        self.targetHost = host
        self.targetPort = targetPort
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var addr = Self.address("127.0.0.1", 0)
        let bound = withUnsafePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 64) == 0 else {
            close(fd)
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        listener = fd
        port = Int(UInt16(bigEndian: addr.sin_port))
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    deinit { stop() }

    /// Cuts every connection and stops listening: later connections are refused.
    public func stop() {
        lock.lock()
        defer { lock.unlock() }
        guard !stopped else { return }
        stopped = true
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
        // Shutting down wakes the pumps blocked in recv; each pair's last pump closes its two sockets.
        for fd in open { shutdown(fd, Int32(SHUT_RDWR)) }
    }

    /// Cuts every open connection but keeps listening: a server restart, as its clients see it.
    public func cutConnections() {
        lock.lock()
        defer { lock.unlock() }
        for fd in open { shutdown(fd, Int32(SHUT_RDWR)) }
    }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            guard client >= 0 else { return }
            guard let upstream = connectToTarget() else {
                close(client)
                continue
            }
            lock.lock()
            if stopped {
                lock.unlock()
                close(client)
                close(upstream)
                return
            }
            open += [client, upstream]
            lock.unlock()
            let pair = Pair(client, upstream, proxy: self)
            Thread.detachNewThread { pair.pump(from: client, to: upstream) }
            Thread.detachNewThread { pair.pump(from: upstream, to: client) }
        }
    }

    private func connectToTarget() -> Int32? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        var addr = Self.address(targetHost, targetPort)
        let ok = withUnsafePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard ok == 0 else {
            close(fd)
            return nil
        }
        return fd
    }

    fileprivate func forget(_ fds: [Int32]) {
        lock.lock()
        open.removeAll { fds.contains($0) }
        lock.unlock()
    }

    private static func address(_ host: String, _ port: Int) -> sockaddr_in {
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr(host == "localhost" ? "127.0.0.1" : host)
        return addr
    }

    /// One proxied connection: two pumps; the second to finish closes both sockets.
    private final class Pair: @unchecked Sendable {
        let a: Int32
        let b: Int32
        let proxy: TCPProxy
        private let lock = NSLock()
        private var running = 2

        init(_ a: Int32, _ b: Int32, proxy: TCPProxy) {
            self.a = a
            self.b = b
            self.proxy = proxy
        }

        func pump(from source: Int32, to sink: Int32) {
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = buffer.withUnsafeMutableBytes { recv(source, $0.baseAddress, $0.count, 0) }
                guard n > 0 else { break }
                var sent = 0
                while sent < n {
                    let m = buffer.withUnsafeBytes { raw in raw.baseAddress.map { Glibc.send(sink, $0 + sent, n - sent, Int32(MSG_NOSIGNAL)) } ?? -1 }
                    guard m > 0 else { break }
                    sent += m
                }
                if sent < n { break }
            }
            shutdown(sink, Int32(SHUT_WR))
            lock.lock()
            running -= 1
            let last = running == 0
            lock.unlock()
            if last {
                proxy.forget([a, b])
                close(a)
                close(b)
            }
        }
    }
}
