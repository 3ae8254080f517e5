import HeraldExtract

import FuzzDriver

/// `herald extract` on raw bytes: charset sniffing, decoding, parsing, the whole extractor.
fuzz { data, size in
    let bytes = bytes(data, size)
    // The first byte picks a declared HTTP charset, as servers send (or not).
    let charsets: [String?] = [nil, "utf-8", "iso-8859-1", "windows-1251", "shift_jis", "utf-16", "x-unknown"]
    let charset = bytes.first.map { charsets[Int($0) % charsets.count] } ?? nil
    _ = try? ArticleExtractor().extract(bytes: bytes, url: "https://fuzz.example/news/2024/05/story.html",
                                        httpCharset: charset)
    return 0
}
