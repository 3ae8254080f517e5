import Foundation

/// One fuzz input's check: returns 0; a crash, a sanitizer report or `fatalError` is a finding.
public typealias FuzzCheck = @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32

@_silgen_name("LLVMFuzzerRunDriver")
private func runDriver(_ argc: UnsafeMutablePointer<Int32>,
                       _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
                       _ check: FuzzCheck) -> Int32

/// Hands the command line to libFuzzer with `check` as the target. SwiftPM names an executable's
/// entry point after its module and links `main` to it, so libFuzzer's own `main` is never used:
/// each target's main.swift calls this instead.
public func fuzz(_ check: FuzzCheck) -> Never {
    var argc = CommandLine.argc
    var argv = CommandLine.unsafeArgv
    exit(runDriver(&argc, &argv, check))
}

/// The input as bytes.
public func bytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
    guard let data, size > 0 else { return [] }
    return Array(UnsafeBufferPointer(start: data, count: size))
}
