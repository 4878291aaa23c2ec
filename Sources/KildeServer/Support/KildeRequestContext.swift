import Hummingbird
import NIOCore

/// The request context of Kilde's server: Hummingbird's core storage and the client's address, which the
/// explorer's per-client limits key on.
public struct KildeRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// `nil` when the request did not come over a socket (Hummingbird's router tests).
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// The client as the per-client limits count it: its IP address, or `local` for an in-process request.
    var client: String { remoteAddress?.ipAddress ?? "local" }
}
