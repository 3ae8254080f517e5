import HeraldXML

/// The shared front end of feed and sitemap parsing: size cap, gzip, XML.
enum XMLInput {
    static func inflate(_ bytes: [UInt8], maxBytes: Int) throws -> [UInt8] {
        guard !bytes.isEmpty else { throw DiscoveryError.empty }
        if Gzip.isCompressed(bytes) {
            let inflated: [UInt8]
            do {
                inflated = try Gzip.decompress(bytes, limit: maxBytes)
            } catch Gzip.Failure.tooLarge(let limit) {
                throw DiscoveryError.tooLarge(limit: limit)
            } catch {
                throw DiscoveryError.corruptGzip("\(error)")
            }
            guard !inflated.isEmpty else { throw DiscoveryError.corruptGzip("no data inflated") }
            return inflated
        }
        guard bytes.count <= maxBytes else { throw DiscoveryError.tooLarge(limit: maxBytes) }
        return bytes
    }

    static func document(_ bytes: [UInt8], url: CrawlURL, maxBytes: Int) throws -> XMLDocument {
        let plain = try inflate(bytes, maxBytes: maxBytes)
        do {
            return try XMLDocument(bytes: plain, url: url.string)
        } catch let error as XMLError {
            if error == .empty { throw DiscoveryError.empty }
            throw DiscoveryError.unparsable(error.description)
        }
    }
}
