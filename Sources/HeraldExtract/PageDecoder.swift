/// Bytes of a page in whatever charset -> valid UTF-8 bytes for the parser.
enum PageDecoder {
    static func decode(_ bytes: [UInt8], httpCharset: String?) throws -> [UInt8] {
        guard !bytes.isEmpty else { throw ExtractionError.emptyInput }
        // FIXME(extract-meta): BOM, http charset, <meta charset>, legacy encodings.
        return Array(String(decoding: bytes, as: UTF8.self).utf8)
    }
}
