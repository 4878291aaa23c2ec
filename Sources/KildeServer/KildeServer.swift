import Hummingbird
import HummingbirdCore
import KildeCore
import KildeStore
import Logging
import ServiceLifecycle

/// Builds the Kilde HTTP application: the `/v1` read API, admin ingest, OpenAPI, `/healthz`, `/metrics` and the
/// web explorer, over any ``FactStore``.
public enum KildeServer {
    /// The router with every route, behind the serving middleware (CORS on every response, problems, metrics).
    public static func router(_ server: ServerContext, configuration: ServerConfiguration) -> Router<KildeRequestContext> {
        let router = Router(context: KildeRequestContext.self)
        // Must come first: middleware applies only to routes added after it.
        router.add(middleware: ServingMiddleware(corsOrigins: configuration.corsOrigins, metrics: server.metrics))
        router.get("healthz") { _, _ in
            // Healthy means the store answers, not only that the process runs.
            _ = try await server.store.dataKind()
            return Payload.text("ok\n", contentType: "text/plain; charset=utf-8")
        }
        router.get("metrics") { _, _ in
            Payload.text(server.metrics.render(), contentType: "text/plain; version=0.0.4; charset=utf-8")
        }
        router.addRoutes(ReadAPI<KildeRequestContext>(server: server).routes(), atPath: "/v1")
        router.addRoutes(AdminAPI<KildeRequestContext>(server: server).routes(), atPath: "/v1")
        router.addRoutes(WebRoutes<KildeRequestContext>(server: server).routes())
        return router
    }

    /// The application: the router on `host:port`, with `services` (the worker that runs queued ingests, the
    /// scheduler) in its service group, so background ingests live and end with the server.
    /// - Parameter onRunning: called with the bound port once the server listens (port 0 picks a free one).
    public static func application(_ server: ServerContext, configuration: ServerConfiguration, services: [any Service] = [],
                                   logger: Logger = Logger(label: "kilde.server"),
                                   onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        let limits = Logger(label: "kilde.server.connections")
        var app = Application(responder: HeadAsGet(responder: router(server, configuration: configuration).buildResponder()),
                              server: .http1(configuration: http1(configuration)),
                              configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "Kilde",
                                                   availableConnectionsDelegate: .maximum(configuration.maxConnections, logger: limits)),
                              onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? configuration.port) },
                              logger: logger)
        for service in services { app.addServices(service) }
        return app
    }

    /// HTTP/1.1: the idle timeout, the decoder's header limit, and a problem body for what the parser refuses.
    static func http1(_ configuration: ServerConfiguration) -> HTTP1Channel.Configuration {
        let limit = configuration.maxHeaderBytes
        let idle = configuration.idleTimeout.components
        return HTTP1Channel.Configuration(
            additionalChannelHandlers: [MalformedRequestHandler(headerLimit: limit)],
            idleTimeout: .nanoseconds(idle.seconds * 1_000_000_000 + idle.attoseconds / 1_000_000_000),
            httpDecoderConfiguration: .init(maxHeaderFieldSize: limit, maxHeaderListSize: limit))
    }
}
