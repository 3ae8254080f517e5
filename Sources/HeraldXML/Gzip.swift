import CZlib

/// gzip (and zlib) decompression with a size cap, for saved pages and `.xml.gz` sitemaps.
public enum Gzip {
    public enum Failure: Error, Equatable, CustomStringConvertible {
        case corrupt(String)
        case tooLarge(limit: Int)
        public var description: String {
            switch self {
            case .corrupt(let why): return "corrupt gzip data: \(why)"
            case .tooLarge(let limit): return "gzip data expands beyond \(limit) bytes"
            }
        }
    }

    /// True when the bytes start with the gzip magic number.
    public static func isCompressed(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b
    }

    /// Inflates gzip or zlib data; stops with `tooLarge` as soon as the output would exceed
    /// `limit`, so a bomb costs no more than `limit` bytes of memory.
    public static func decompress(_ bytes: [UInt8], limit: Int = 256 << 20) throws -> [UInt8] {
        var stream = z_stream()
        guard herald_inflate_init_gzip(&stream) == Z_OK else { throw Failure.corrupt("inflateInit failed") }
        defer { inflateEnd(&stream) }
        var out: [UInt8] = []
        out.reserveCapacity(min(limit, bytes.count * 4))
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        var input = bytes
        return try input.withUnsafeMutableBufferPointer { inBuf in
            stream.next_in = inBuf.baseAddress
            stream.avail_in = uInt(inBuf.count)
            while true {
                let status: Int32 = chunk.withUnsafeMutableBufferPointer { outBuf in
                    stream.next_out = outBuf.baseAddress
                    stream.avail_out = uInt(outBuf.count)
                    return inflate(&stream, Z_NO_FLUSH)
                }
                let produced = chunk.count - Int(stream.avail_out)
                if out.count + produced > limit { throw Failure.tooLarge(limit: limit) }
                out.append(contentsOf: chunk[0..<produced])
                switch status {
                case Z_STREAM_END:
                    // Concatenated gzip members: keep going while input remains.
                    if stream.avail_in > 0, inflateReset(&stream) == Z_OK { continue }
                    return out
                case Z_OK:
                    continue
                case Z_BUF_ERROR where stream.avail_in == 0:
                    return out // truncated input: keep what was there
                default:
                    let msg = stream.msg.map { String(cString: $0) } ?? "status \(status)"
                    throw Failure.corrupt(msg)
                }
            }
        }
    }
}
