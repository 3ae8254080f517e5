import Foundation
import HeraldTestSupport
import Testing

/// `make deb`'s package, built from the release binary `make test` builds first: what it
/// installs where, which files are conffiles, the units pointing at /usr/bin, maintainer scripts
/// that parse, and a binary that needs no Swift toolchain.
@Suite struct DebPackageTests {
    static let release = TestPaths.packageRoot.appendingPathComponent(".build/release/herald")

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: release.path)))
    func packageHoldsTheServiceAndLeavesEditedConfigAlone() async throws {
        let out = TestPaths.temporaryDirectory("herald-deb")
        let built = try await ChildProcess.run(URL(fileURLWithPath: "/bin/bash"),
                                               ["-c", "cd \"$2\" && DEB_COMPRESSION=gzip scripts/make-deb.sh \"$0\" \"$1\" 1.2.3",
                                                Self.release.path, out.path, TestPaths.packageRoot.path],
                                               in: out)
        #expect(built.status == 0, "\(built.stderr)")
        let deb = built.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(deb.hasSuffix("herald_1.2.3_amd64.deb") || deb.hasSuffix("_1.2.3_arm64.deb"))

        let contents = try await ChildProcess.run(URL(fileURLWithPath: "/usr/bin/dpkg-deb"), ["-c", deb], in: out)
        for path in ["./usr/bin/herald", "./etc/herald/herald.yaml", "./etc/herald/crawls/lbci.yaml",
                     "./lib/systemd/system/herald.service", "./lib/systemd/system/herald-crawl@.timer",
                     "./usr/lib/sysusers.d/herald.conf", "./usr/lib/tmpfiles.d/herald.conf",
                     "./usr/share/doc/herald/README.md"] {
            #expect(contents.stdout.contains(" \(path)\n"), "missing \(path)")
        }
        #expect(!contents.stdout.contains("/usr/local/"))

        let unpacked = out.appendingPathComponent("root")
        let control = out.appendingPathComponent("control")
        #expect(try await ChildProcess.run(URL(fileURLWithPath: "/usr/bin/dpkg-deb"), ["-x", deb, unpacked.path], in: out).status == 0)
        #expect(try await ChildProcess.run(URL(fileURLWithPath: "/usr/bin/dpkg-deb"), ["-e", deb, control.path], in: out).status == 0)
        let conffiles = try String(contentsOf: control.appendingPathComponent("conffiles"), encoding: .utf8)
        #expect(conffiles.split(separator: "\n").contains("/etc/herald/herald.yaml"))
        #expect(conffiles.split(separator: "\n").allSatisfy { $0.hasPrefix("/etc/herald/") })
        let fields = try String(contentsOf: control.appendingPathComponent("control"), encoding: .utf8)
        #expect(fields.contains("Package: herald\n") && fields.contains("Version: 1.2.3\n") && fields.contains("libcurl4"))
        for script in ["postinst", "prerm", "postrm"] {
            let check = try await ChildProcess.run(URL(fileURLWithPath: "/bin/sh"),
                                                   ["-n", control.appendingPathComponent(script).path], in: out)
            #expect(check.status == 0, "\(script): \(check.stderr)")
        }
        let postinst = try String(contentsOf: control.appendingPathComponent("postinst"), encoding: .utf8)
        #expect(postinst.contains("systemd-sysusers herald.conf") && postinst.contains("systemd-tmpfiles --create herald.conf"))
        let service = try String(contentsOf: unpacked.appendingPathComponent("lib/systemd/system/herald.service"), encoding: .utf8)
        #expect(service.contains("ExecStart=/usr/bin/herald run --config /etc/herald/herald.yaml"))

        // The packaged binary runs, and links no library from a Swift toolchain.
        let binary = unpacked.appendingPathComponent("usr/bin/herald")
        let help = try await ChildProcess.run(binary, ["--help"], in: out)
        #expect(help.status == 0 && help.stdout.contains("herald"))
        let ldd = try await ChildProcess.run(URL(fileURLWithPath: "/usr/bin/ldd"), [binary.path], in: out)
        #expect(!ldd.stdout.contains("swift"), "\(ldd.stdout)")
    }
}
