import HeraldConfig
import NIOCore
import NIOHTTP1
import NIOPosix

/// The HTTP listener Prometheus scrapes: `GET /metrics` (or `HEAD`) answers the exposition
/// text of a `CrawlMetrics`; every other path is 404, every other method on `/metrics` 405.
/// HTTP/1.1 through SwiftNIO's parser, on NIO's shared event loops; nothing else is served.
public final class MetricsEndpoint: Sendable {
    /// The address actually bound (with the kernel's port when the configured one was 0).
    public let address: ListenAddress
    private let channel: any Channel

    private init(address: ListenAddress, channel: any Channel) {
        self.address = address
        self.channel = channel
    }

    /// Binds `address` and starts answering; throws when it cannot (address in use, not an
    /// address of this host), with a message naming the address and the `setting` it came from.
    /// Synchronous (it waits the moment a bind takes), so a caller can bind in the middle of
    /// a start-up that nothing else may interleave with.
    public static func start(on address: ListenAddress, serving metrics: CrawlMetrics,
                             setting: String = "metrics_listen") throws(MetricsEndpointError) -> MetricsEndpoint {
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 32)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.maxMessagesPerRead, value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(MetricsRequestHandler(metrics: metrics))
                }
            }
        let channel: any Channel
        do {
            channel = try bootstrap.bind(host: address.host, port: address.port).wait()
        } catch {
            throw MetricsEndpointError(message: "cannot listen on \(setting) \(address): \(error)")
        }
        let bound = ListenAddress(host: address.host, port: channel.localAddress?.port ?? address.port)
        return MetricsEndpoint(address: bound, channel: channel)
    }

    /// Stops listening (a scrape in progress is cut off).
    public func stop() async {
        try? await channel.close()
    }
}

/// The metrics endpoint could not start; `message` names the address and why.
public struct MetricsEndpointError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

/// Answers each request on one connection (keep-alive honoured, as Prometheus uses it).
final class MetricsRequestHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    /// The exposition format Prometheus negotiates by default.
    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    private let metrics: CrawlMetrics
    private var request: HTTPRequestHead?

    init(metrics: CrawlMetrics) {
        self.metrics = metrics
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            request = head
        case .body:
            break  // a scrape has no body; anything sent is ignored
        case .end:
            if let head = request { respond(to: head, context: context) }
            request = nil
        }
    }

    private func respond(to head: HTTPRequestHead, context: ChannelHandlerContext) {
        let path = head.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        var headers = HTTPHeaders()
        let status: HTTPResponseStatus
        let body: [UInt8]
        if path != "/metrics" {
            status = .notFound
            body = Array("not found: herald serves only /metrics\n".utf8)
            headers.add(name: "Content-Type", value: "text/plain; charset=utf-8")
        } else if head.method != .GET && head.method != .HEAD {
            status = .methodNotAllowed
            body = Array("method not allowed: GET /metrics\n".utf8)
            headers.add(name: "Content-Type", value: "text/plain; charset=utf-8")
            headers.add(name: "Allow", value: "GET, HEAD")
        } else {
            status = .ok
            body = metrics.exposition()
            headers.add(name: "Content-Type", value: Self.contentType)
        }
        headers.add(name: "Content-Length", value: "\(body.count)")
        let keepAlive = head.isKeepAlive
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: status, headers: headers))),
                      promise: nil)
        if head.method != .HEAD {
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
        }
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in
            if !keepAlive { channel.close(promise: nil) }
        }
    }
}
