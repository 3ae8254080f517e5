import Foundation
import HeraldConfig
import HeraldCrawlLog
import HeraldDiscover
import HeraldExtract
import HeraldFetch
import HeraldFormats
import HeraldSpool
import HeraldState
import HeraldXML

/// What one run's page tasks share: the crawl, the process-wide services and the run's log.
/// Immutable, so any number of page tasks use it at once.
struct RunContext: Sendable {
    let definition: CrawlDefinition
    let fetcher: Fetcher
    let store: any CrawlStateStore
    let delivery: ArticleDelivery
    let runLog: RunLog
    let extractor: ArticleExtractor
    let minBodyWords: Int
    /// Start of the crawl's last successful run when `skip_older_than_last_run` is on.
    let skipEntriesBefore: Date?
    /// The definition's follow rules with its seed sites worked out once.
    let scope: CrawlDefinition.LinkScope

    func shouldFollow(_ url: CrawlURL) -> Bool { scope.shouldFollow(url.string, host: url.host) }
    func isArticle(_ url: CrawlURL) -> Bool { definition.articles.admits(url.string) }
}

/// What processing one frontier item produced, handed back to the run's driver: URLs to mark
/// seen and to queue, the URL state to store, and how delivery went. Holds no page body.
struct PageResult: Sendable {
    enum Delivery: Sendable {
        case none
        /// An article was written to the spool (or found to be a duplicate): delivery works.
        case succeeded
        /// The spool or the state store refused the article.
        case failed(kind: OutcomeKind, message: String)
    }

    var item: FrontierItem
    /// Whether the server answered 2xx or 304 (a seed that never does fails the run).
    var answered = false
    /// Why the item produced nothing, for the run's failure message.
    var failure: String?
    /// Page keys to mark seen (the page's canonical key, its AMP twin, the URL it came from).
    var seenKeys: [CrawlURL] = []
    /// Links, feeds, sitemaps and entries to queue (already filtered by the crawl's rules).
    var discovered: [FrontierItem] = []
    /// Validators and content hash to remember for the next run's conditional GET.
    var urlState: URLState?
    var delivery: Delivery = .none
}

/// The work done for one frontier item, off the driver: fetch, then by kind expand a feed or
/// sitemap, or parse a page once for its links and (when the crawl's rules make it an article)
/// its record, which goes through `ArticleDelivery`. Every outcome is logged here, one event per
/// outcome, so the run log's counters are the run's counters.
enum PageWork {
    static let feedAccept = "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, application/xml;q=0.8, text/xml;q=0.8, */*;q=0.5"
    static let sitemapAccept = "application/xml, text/xml;q=0.9, application/x-gzip;q=0.8, */*;q=0.5"

    /// `robots` is the item's origin's robots.txt: a redirect within the origin is followed only
    /// where it allows; one to another origin is handed back and queued, so that origin's
    /// robots.txt is read before it is fetched.
    static func process(_ item: FrontierItem, robots: RobotsPolicy, _ context: RunContext) async -> PageResult {
        var result = PageResult(item: item)
        let log = context.runLog
        let url = item.url.string
        let isArticleURL = item.kind == .page
            && (context.isArticle(item.url) || item.redirectedFrom.map(context.isArticle) == true)

        var request = FetchRequest(url: item.url.requestString)
        let origin = item.url.origin
        request.redirectDecision = { target in
            guard let next = CrawlURL(target) else { return .follow }
            if next.origin != origin { return .handBack }
            return robots.allows(next)
                ? .follow : .refuse(kind: OutcomeKind.robotsDisallowed.rawValue,
                                    message: "redirects to \(next.string), which robots.txt disallows")
        }
        var stored: URLState?
        switch item.kind {
        case .page:
            // Conditional GET only for article pages: a listing page (start page, section,
            // feed) answered 304 would hide links a cut-short earlier run never followed.
            if isArticleURL, let state = try? context.store.urlState(url) {
                stored = state
                request.etag = state.etag
                request.lastModified = state.lastModified
            }
        case .feed:
            request.headers["Accept"] = feedAccept
        case .sitemap:
            request.headers["Accept"] = sitemapAccept
            request.maxBodyBytes = max(context.fetcher.policy.maxBodyBytes, SitemapParser.defaultMaxBytes)
        }

        let response: FetchResponse
        switch await context.fetcher.fetch(request) {
        case .failure(let failure):
            if failure.kind == "cancelled" { return result }   // dropped by a stop; fetched next run
            let kind = OutcomeKind(failure.kind)
            if kind == .robotsDisallowed {
                result.answered = true
                log.record(.heldBack(url: url, kind: kind, reason: failure.message, duplicateOf: nil))
                return result
            }
            if failure.kind == "timeout" || failure.kind == "too_large" {
                log.record(.fetch(url: url, status: nil, bytes: 0, ms: failure.elapsedMs, kind: kind))
            } else {
                log.record(.error(url: url, kind: kind, message: failure.message))
            }
            result.failure = failure.description
            return result
        case .success(let r):
            response = r
        }

        if let target = response.unfollowedRedirect.flatMap({ CrawlURL($0) }) {
            log.record(.fetch(url: url, status: response.status, bytes: response.bytes,
                              ms: response.elapsedMs, kind: .redirected))
            result.answered = true
            var next = item
            next.url = target
            next.redirectedFrom = item.redirectedFrom ?? item.url
            result.discovered.append(next)
            return result
        }
        let fetchKind = OutcomeKind(response.kind)
        log.record(.fetch(url: url, status: response.status, bytes: response.bytes,
                          ms: response.elapsedMs, kind: fetchKind))
        guard response.status == 304 || (200..<300).contains(response.status) else {
            result.failure = "\(url): HTTP \(response.status)"
            return result
        }
        result.answered = true
        if response.status == 304 {
            // Unchanged since the last run: nothing to parse; keep the stored state.
            return result
        }
        let finalURL = CrawlURL(response.finalURL) ?? item.url

        switch item.kind {
        case .feed:
            expandFeed(response, finalURL, &result, context)
        case .sitemap:
            expandSitemap(response, finalURL, &result, context)
        case .page:
            await processPage(response, finalURL, isArticleURL: isArticleURL, stored: stored, &result, context)
        }
        return result
    }

    // MARK: Feeds and sitemaps

    private static func expandFeed(_ response: FetchResponse, _ url: CrawlURL, _ result: inout PageResult,
                                   _ context: RunContext) {
        let feed: Feed
        do {
            feed = try FeedParser.parse(response.body, url: url)
        } catch {
            // A feed URL that serves a sitemap (or a sitemap-shaped feed) still lists pages.
            if (try? readSitemap(response.body, url, allowText: false, &result, context)) != nil { return }
            context.runLog.record(.error(url: result.item.url.string, kind: .parseError,
                                         message: "not a feed: \(error)"))
            result.failure = "\(result.item.url.string): not a feed (\(error))"
            return
        }
        for entry in feed.entries where entry.mayBeNew(since: context.skipEntriesBefore) {
            addEntry(entry.url, &result, context)
        }
    }

    private static func expandSitemap(_ response: FetchResponse, _ url: CrawlURL, _ result: inout PageResult,
                                      _ context: RunContext) {
        do {
            try readSitemap(response.body, url, allowText: true, &result, context)
        } catch {
            context.runLog.record(.error(url: result.item.url.string, kind: .parseError,
                                         message: "not a sitemap: \(error)"))
            result.failure = "\(result.item.url.string): not a sitemap (\(error))"
        }
    }

    /// Streams a sitemap's entries straight into the frontier (no list of 50,000 entries in
    /// between), then queues its child sitemaps.
    private static func readSitemap(_ body: [UInt8], _ url: CrawlURL, allowText: Bool,
                                    _ result: inout PageResult, _ context: RunContext) throws {
        let sitemap = try SitemapParser.read(body, url: url, allowText: allowText) { entry in
            if entry.mayBeNew(since: context.skipEntriesBefore) { addEntry(entry.url, &result, context) }
        }
        for child in sitemap.sitemaps where child.mayBeNew(since: context.skipEntriesBefore) {
            result.discovered.append(FrontierItem(url: child.url, kind: .sitemap, depth: 0))
        }
    }

    /// A feed or sitemap entry is fetched when the crawl would follow it or counts it as an
    /// article: listings are where a site announces its articles, wherever they are hosted.
    private static func addEntry(_ url: CrawlURL, _ result: inout PageResult, _ context: RunContext) {
        guard context.shouldFollow(url) || context.isArticle(url) else { return }
        result.discovered.append(FrontierItem(url: url, kind: .page, depth: 0))
    }

    // MARK: Pages

    private static func processPage(_ response: FetchResponse, _ finalURL: CrawlURL, isArticleURL: Bool,
                                    stored: URLState?, _ result: inout PageResult, _ context: RunContext) async {
        let definition = context.definition
        let log = context.runLog
        let url = result.item.url.string

        if let type = response.contentType, !isHTMLType(type), isXMLType(type),
           result.item.isSeed || result.item.depth < definition.follow.maxDepth {
            // A start page or link that turns out to be a feed or sitemap ("RSS" in a footer).
            if let feed = try? FeedParser.parse(response.body, url: finalURL) {
                for entry in feed.entries where entry.mayBeNew(since: context.skipEntriesBefore) {
                    addEntry(entry.url, &result, context)
                }
                log.record(.heldBack(url: url, kind: .notArticle, reason: "a feed", duplicateOf: nil))
                return
            }
            if (try? readSitemap(response.body, finalURL, allowText: false, &result, context)) != nil {
                log.record(.heldBack(url: url, kind: .notArticle, reason: "a sitemap", duplicateOf: nil))
                return
            }
        }
        if let type = response.contentType, !isHTMLType(type) {
            log.record(.heldBack(url: url, kind: .notArticle, reason: "not an HTML page (\(type))",
                                 duplicateOf: nil))
            return
        }
        let document: HTMLDocument
        do {
            document = try ArticleExtractor.parse(bytes: response.body, url: finalURL.string,
                                                  httpCharset: response.charset)
        } catch ExtractionError.emptyInput {
            log.record(.heldBack(url: url, kind: isArticleURL ? .emptyBody : .notArticle,
                                 reason: "empty page", duplicateOf: nil))
            return
        } catch {
            log.record(.error(url: url, kind: .parseError, message: "\(error)"))
            return
        }

        // Links first: extracting the article strips the tree.
        let links = LinkExtractor.extract(from: document, url: finalURL)
        result.seenKeys = CanonicalKey.aliases(of: links, fetchedAs: result.item.url)
        let depth = result.item.depth
        if !links.noFollow, depth < definition.follow.maxDepth {
            for link in links.links where context.shouldFollow(link) {
                result.discovered.append(FrontierItem(url: link, kind: .page, depth: depth + 1))
            }
        }
        let isArticle = isArticleURL || (finalURL != result.item.url && context.isArticle(finalURL))
        // Feeds announced by link pages (home, sections): an article's own alternates are
        // mostly per-article comment feeds, one more request per article for nothing.
        if !isArticle, depth < definition.follow.maxDepth || result.item.isSeed {
            for feed in links.feeds where context.scope.isOnSeedSite(host: feed.host) || context.shouldFollow(feed) {
                result.discovered.append(FrontierItem(url: feed, kind: .feed, depth: 0))
            }
        }

        guard isArticle else {
            log.record(.heldBack(url: url, kind: .notArticle, reason: nil, duplicateOf: nil))
            return
        }
        if links.noIndex {
            log.record(.heldBack(url: url, kind: .notArticle, reason: "the page asks not to be indexed (noindex)",
                                 duplicateOf: nil))
            return
        }

        // Relative dates on the page ("3 hours ago") are relative to when it was fetched.
        let fetchedAt = Date()
        var extractor = context.extractor
        extractor.now = fetchedAt
        var record = extractor.extract(document: document, url: finalURL.string)
        record.url = url
        record.crawl = definition.name
        record.runID = log.id
        record.fetchedAt = Timestamp.iso8601(fetchedAt)
        record.httpStatus = response.status
        record.finalURL = response.finalURL
        var state = URLState(url: url, etag: response.etag, lastModified: response.lastModified,
                             lastFetchedAt: Date(), httpStatus: response.status, contentHash: nil)

        if record.wordCount < context.minBodyWords {
            log.record(.heldBack(url: url, kind: .emptyBody,
                                 reason: "body has \(record.wordCount) words, fewer than min_body_words (\(context.minBodyWords))",
                                 duplicateOf: nil))
            result.urlState = state
            return
        }
        state.contentHash = record.contentHash
        let delivery = context.delivery
        let sealed = record
        let outcome = await BlockingWork.run { Result { try delivery.deliver(sealed) } }
        do {
            switch try outcome.get() {
            case .delivered(let file, _):
                log.record(.article(url: url, hash: record.contentHash,
                                    file: "new/" + file.lastPathComponent))
            case .duplicate(let hash):
                let reason = stored?.contentHash == hash ? "unchanged since it was delivered" : "same content as an article delivered before"
                log.record(.heldBack(url: url, kind: .duplicate, reason: reason, duplicateOf: hash))
            case .nearDuplicate(let hash):
                log.record(.heldBack(url: url, kind: .nearDuplicate,
                                     reason: "near-duplicate of an article delivered before", duplicateOf: hash))
            }
            result.delivery = .succeeded
            result.urlState = state
        } catch let error as SpoolError {
            log.record(.error(url: url, kind: .spoolError, message: error.message))
            result.delivery = .failed(kind: .spoolError, message: error.message)
        } catch {
            let message = "\(error)"
            log.record(.error(url: url, kind: .stateError, message: message))
            result.delivery = .failed(kind: .stateError, message: message)
        }
    }

    static func isXMLType(_ type: String) -> Bool {
        type.hasSuffix("xml") || type.hasSuffix("+xml")
    }

    static func isHTMLType(_ type: String) -> Bool {
        type.contains("html") || type == "text/plain" || type == "application/octet-stream"
    }
}
