import Foundation
import HeraldFetch
import HeraldTestSupport
import Testing

/// HTTP/2 against a server that offers it: nginx (Debian's, installed by `make test`) on
/// 127.0.0.1 with TLS and ALPN h2, using a certificate made for the test and trusted only by
/// this fetcher.
@Suite("Fetcher: HTTP/2 where the server offers it", .serialized)
struct HTTP2Tests {
    /// A running nginx serving `www/` over HTTPS with HTTP/2; stopped by `stop()`.
    struct H2Server {
        let directory: URL
        let port: Int
        let process: ChildProcess
        var certificate: String { directory.appendingPathComponent("cert.pem").path }
        func url(_ path: String) -> String { "https://127.0.0.1:\(port)\(path)" }

        static func start() async throws -> H2Server {
            let dir = TestPaths.temporaryDirectory("h2")
            let www = dir.appendingPathComponent("www")
            try FileManager.default.createDirectory(at: www, withIntermediateDirectories: true)
            try Data("<html><body><p>served over h2</p></body></html>".utf8)
                .write(to: www.appendingPathComponent("page.html"))
            let openssl = try await ChildProcess.run(URL(fileURLWithPath: "/usr/bin/openssl"), [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                "-keyout", "key.pem", "-out", "cert.pem", "-subj", "/CN=127.0.0.1",
                "-addext", "subjectAltName=IP:127.0.0.1",
            ], in: dir)
            #expect(openssl.status == 0, "openssl: \(openssl.stderr)")
            for attempt in 0..<5 {
                let port = 20_000 + Int.random(in: 0..<20_000)
                let conf = """
                daemon off; worker_processes 1; pid \(dir.path)/nginx.pid;
                error_log \(dir.path)/error.log;
                events { worker_connections 64; }
                http {
                  access_log off;
                  client_body_temp_path \(dir.path)/tmp; proxy_temp_path \(dir.path)/tmp;
                  fastcgi_temp_path \(dir.path)/tmp; uwsgi_temp_path \(dir.path)/tmp; scgi_temp_path \(dir.path)/tmp;
                  server {
                    listen 127.0.0.1:\(port) ssl http2;
                    ssl_certificate \(dir.path)/cert.pem; ssl_certificate_key \(dir.path)/key.pem;
                    root \(www.path);
                  }
                }
                """
                try Data(conf.utf8).write(to: dir.appendingPathComponent("nginx.conf"))
                let process = try ChildProcess(URL(fileURLWithPath: "/usr/sbin/nginx"),
                                               ["-c", dir.appendingPathComponent("nginx.conf").path, "-p", dir.path],
                                               in: dir)
                // Listening once the port accepts a connection; a taken port makes nginx exit.
                if await eventually(within: .seconds(5), { Self.accepts(port) || process.hasExited }),
                   !process.hasExited {
                    return H2Server(directory: dir, port: port, process: process)
                }
                process.send(SIGKILL)
                _ = await process.wait()
                if attempt == 4 { break }
            }
            throw H2ServerError(message: "nginx did not start; see \(dir.path)/error.log")
        }

        func stop() async {
            process.send(SIGTERM)
            _ = await process.wait()
        }

        static func accepts(_ port: Int) -> Bool {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            defer { close(fd) }
            var addr = sockaddr_in()
            addr.sin_family = sa_family_t(AF_INET)
            addr.sin_port = in_port_t(UInt16(port).bigEndian)
            addr.sin_addr.s_addr = inet_addr("127.0.0.1")
            return withUnsafePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
                }
            }
        }
    }

    struct H2ServerError: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }

    @Test func negotiatesHTTP2OverTLSAndReusesTheConnection() async throws {
        let server = try await H2Server.start()
        let fetcher = Fetcher(policy: testPolicy { $0.trustedCertificatesFile = server.certificate })
        for _ in 0..<3 {
            let response = try await fetcher.fetch(FetchRequest(url: server.url("/page.html"))).get()
            #expect(response.status == 200)
            #expect(response.httpVersion == "2")
            #expect(String(decoding: response.body, as: UTF8.self).contains("served over h2"))
        }
        fetcher.shutdown()
        await server.stop()
    }

    @Test func theTestCertificateIsNotTrustedWithoutTheOption() async throws {
        let server = try await H2Server.start()
        let fetcher = Fetcher(policy: testPolicy())
        let failure = try #require(await fetcher.fetch(FetchRequest(url: server.url("/page.html"))).failure)
        #expect(failure.kind == "tls_error")
        fetcher.shutdown()
        await server.stop()
    }
}
