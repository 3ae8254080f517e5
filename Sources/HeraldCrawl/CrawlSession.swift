import Foundation
import HeraldConfig
import HeraldCrawlLog
import HeraldDiscover
import HeraldFetch
import HeraldFormats
import HeraldState

/// One run's driver: owns the frontier and the robots.txt answers, hands items to page tasks
/// (at most `concurrency` at once; per-host politeness is the fetcher's throttle), folds their
/// results back in, and decides when and how the run ends. All its state lives in the one task
/// that calls `run`; page tasks only see the immutable `RunContext`.
final class CrawlSession {
    private let context: RunContext
    private let configuration: HeraldConfiguration
    private let maxPages: Int
    private let progress: (@Sendable (CrawlProgress) -> Void)?
    private var definition: CrawlDefinition { context.definition }

    private var frontier = Frontier()
    /// robots.txt policy per origin, for this run.
    private var robots: [String: RobotsPolicy] = [:]
    /// Why an origin's robots.txt could not be fetched (its pages are all held back).
    private var robotsFailures: [String: String] = [:]
    /// Items waiting for their origin's robots.txt.
    private var waiting: [String: [FrontierItem]] = [:]
    private var waitingCount = 0
    private var politeHosts: Set<String> = []
    private let seedOrigins: Set<String>

    private var launched = 0
    private var seedsAnswered = 0
    private var seedFailures: [String] = []
    private var pendingStates: [URLState] = []
    private var deliveries = 0
    private var failedDeliveriesInARow = 0
    private var firstDeliveryFailure: String?
    private var fatal: String?
    private var limitReached: String?
    private var interrupted = false

    private enum Job: Sendable {
        case robots(origin: String, url: CrawlURL)
        /// A page with the robots.txt rules of its origin (its redirects are checked against them).
        case page(FrontierItem, RobotsPolicy)
    }

    private enum Done: Sendable {
        case robots(origin: String, policy: RobotsPolicy, failure: String?)
        case page(PageResult)
    }

    init(context: RunContext, configuration: HeraldConfiguration, maxPages: Int,
         progress: (@Sendable (CrawlProgress) -> Void)?) {
        self.context = context
        self.configuration = configuration
        self.maxPages = max(0, maxPages)
        self.progress = progress
        let definition = context.definition
        seedOrigins = Set((definition.start + definition.feeds + definition.sitemaps)
            .compactMap { CrawlURL($0.absoluteString)?.origin })
    }

    func run(started: ContinuousClock.Instant) async -> (outcome: RunOutcome, message: String?) {
        seed()
        let clock = ContinuousClock()
        let deadline = started + definition.limits.maxDuration
        let slots = max(1, configuration.concurrency)

        await withTaskGroup(of: Done.self) { group in
            var inFlight = 0
            while true {
                if Task.isCancelled { interrupted = true }
                if limitReached == nil, clock.now >= deadline {
                    limitReached = "stopped at max_duration (\(DurationSyntax.elapsed(definition.limits.maxDuration.timeInterval, tenths: true)))"
                }
                if !interrupted, fatal == nil, limitReached == nil {
                    while inFlight < slots, let job = await nextJob() {
                        let context = self.context
                        group.addTask { await Self.perform(job, context) }
                        inFlight += 1
                    }
                }
                if inFlight == 0 { break }
                guard let done = await group.next() else { break }
                inFlight -= 1
                await fold(done)
                if let progress {
                    let c = context.runLog.counters
                    progress(CrawlProgress(
                        crawl: definition.name, runID: context.runLog.id, pages: c.pages, new: c.new,
                        duplicates: c.duplicates, errors: c.errors, queued: frontier.count + waitingCount,
                        inFlight: inFlight, elapsed: clock.now - started))
                }
            }
        }
        flushStates()
        await context.fetcher.throttle.removeLimits(owner: context.runLog.id)
        return end()
    }

    // MARK: Frontier

    private func seed() {
        for url in definition.start {
            offerSeed(url, .page)
        }
        for url in definition.feeds {
            offerSeed(url, .feed)
        }
        for url in definition.sitemaps {
            offerSeed(url, .sitemap)
        }
    }

    private func offerSeed(_ url: URL, _ kind: FrontierItem.Kind) {
        guard let normalized = CrawlURL(url.absoluteString) else {
            seedFailures.append("\(url.absoluteString): not a usable http(s) URL")
            return
        }
        frontier.offer(FrontierItem(url: normalized, kind: kind, depth: 0, isSeed: true))
    }

    /// The next fetch to start: a page whose host's robots.txt allows it, or a robots.txt a
    /// waiting page needs. Nil when nothing can start now (or `max_pages` is used up).
    private func nextJob() async -> Job? {
        while launched < maxPages, let item = frontier.next() {
            let origin = item.url.origin
            if let policy = robots[origin] {
                if policy.allows(item.url) {
                    launched += 1
                    return .page(item, policy)
                }
                context.runLog.record(.heldBack(url: item.url.string, kind: .robotsDisallowed,
                                                reason: policy.basis == .unreachable
                                                    ? "robots.txt could not be fetched: nothing on this host is fetched this run"
                                                    : "disallowed by robots.txt", duplicateOf: nil))
                if item.isSeed {
                    let why = robotsFailures[origin].map { "robots.txt could not be fetched (\($0))" } ?? "disallowed by robots.txt"
                    seedFailures.append("\(item.url.string): \(why)")
                }
                continue
            }
            let first = waiting[origin] == nil
            waiting[origin, default: []].append(item)
            waitingCount += 1
            guard first else { continue }
            await applyPoliteness(host: item.url.host, crawlDelay: nil)
            if let cached = try? context.store.robots(origin: origin, at: Date()) {
                let policy = RobotsPolicy.forResponse(status: cached.httpStatus, body: Array(cached.body.utf8),
                                                      url: item.url.robotsURL, userAgent: configuration.userAgent)
                await install(policy, origin: origin, host: item.url.host)
                continue
            }
            launched += 1
            return .robots(origin: origin, url: item.url.robotsURL)
        }
        if launched >= maxPages, limitReached == nil, !frontier.isEmpty || waitingCount > 0 {
            limitReached = "stopped at max_pages (\(maxPages))"
        }
        return nil
    }

    /// Per-host limits of this crawl (its `politeness` block, else the global values), set
    /// for the run before its first request to a host; a longer robots.txt Crawl-delay wins.
    /// The fetcher's throttle holds every crawl of the process to the strictest limits set for
    /// a host, so runs of other crawls of the same host never loosen these.
    private func applyPoliteness(host: String, crawlDelay: Double?) async {
        let throttle = context.fetcher.throttle
        let delay = definition.politeness.perHostDelay ?? configuration.perHostDelay
        let concurrency = definition.politeness.perHostConcurrency ?? configuration.perHostConcurrency
        if politeHosts.insert(host).inserted {
            await throttle.setLimits(HostLimits(concurrency: concurrency, delay: delay), forHost: host,
                                     owner: context.runLog.id)
        }
        if let crawlDelay, crawlDelay.isFinite, crawlDelay > 0 {
            let robotsDelay = Duration.milliseconds(Int(min(crawlDelay, 3600) * 1000))
            if robotsDelay > delay {
                await throttle.setLimits(HostLimits(concurrency: concurrency, delay: robotsDelay), forHost: host,
                                         owner: context.runLog.id)
                // The robots.txt request itself was the last one: space the next from it too.
                await throttle.pause(host: host, for: robotsDelay)
            }
        }
    }

    private func install(_ policy: RobotsPolicy, origin: String, host: String) async {
        robots[origin] = policy
        await applyPoliteness(host: host, crawlDelay: policy.crawlDelay)
        if seedOrigins.contains(origin) {
            for sitemap in policy.sitemaps {
                frontier.offer(FrontierItem(url: sitemap, kind: .sitemap, depth: 0))
            }
        }
        if let items = waiting.removeValue(forKey: origin) {
            waitingCount -= items.count
            frontier.requeue(items)
        }
    }

    // MARK: Work

    private static func perform(_ job: Job, _ context: RunContext) async -> Done {
        switch job {
        case .page(let item, let policy):
            return .page(await PageWork.process(item, robots: policy, context))
        case .robots(let origin, let url):
            let (policy, failure) = await fetchRobots(url, origin: origin, context)
            return .robots(origin: origin, policy: policy, failure: failure)
        }
    }

    /// Fetches and caches (24 h, in the state) one origin's robots.txt. 4xx: allow all; 5xx,
    /// 429 or no answer: nothing allowed this run, and not cached so the next run asks again.
    private static func fetchRobots(_ url: CrawlURL, origin: String, _ context: RunContext) async -> (RobotsPolicy, String?) {
        let log = context.runLog
        let userAgent = context.fetcher.policy.userAgent
        switch await context.fetcher.fetch(FetchRequest(url: url.string, headers: ["Accept": "text/plain, */*;q=0.5"])) {
        case .failure(let failure):
            if failure.kind != "cancelled" {
                let kind = OutcomeKind(failure.kind)
                if failure.kind == "timeout" || failure.kind == "too_large" {
                    log.record(.fetch(url: url.string, status: nil, bytes: 0, ms: failure.elapsedMs, kind: kind))
                } else {
                    log.record(.error(url: url.string, kind: kind, message: "robots.txt: \(failure.message)"))
                }
            }
            return (.disallowAll, failure.description)
        case .success(let response):
            let status = response.status
            let missing = (400..<500).contains(status) && status != 429
            log.record(.fetch(url: url.string, status: status, bytes: response.bytes, ms: response.elapsedMs,
                              kind: missing ? .noRobots : OutcomeKind(response.kind)))
            let policy = RobotsPolicy.forResponse(status: status, body: response.body, url: url, userAgent: userAgent)
            if status < 500 && status != 429 {
                let body = (200..<300).contains(status) ? String(decoding: response.body.prefix(RobotsPolicy.maxBytes), as: UTF8.self) : ""
                try? context.store.saveRobots(RobotsCacheEntry(origin: origin, httpStatus: status, body: body,
                                                               fetchedAt: Date()))
            }
            return (policy, policy.basis == .unreachable ? "HTTP \(status)" : nil)
        }
    }

    private func fold(_ done: Done) async {
        switch done {
        case .robots(let origin, let policy, let failure):
            if let failure { robotsFailures[origin] = failure }
            let host = CrawlURL(origin + "/")?.host ?? origin
            await install(policy, origin: origin, host: host)
        case .page(let result):
            if result.item.isSeed {
                if result.answered {
                    seedsAnswered += 1
                } else if let failure = result.failure {
                    seedFailures.append(failure)
                }
            }
            frontier.markSeen(pageKeys: result.seenKeys)
            for item in result.discovered { frontier.offer(item) }
            if let state = result.urlState {
                pendingStates.append(state)
                if pendingStates.count >= 64 { flushStates() }
            }
            switch result.delivery {
            case .none:
                break
            case .succeeded:
                deliveries += 1
                failedDeliveriesInARow = 0
            case .failed(let kind, let message):
                failedDeliveriesInARow += 1
                if firstDeliveryFailure == nil { firstDeliveryFailure = message }
                if kind != .spoolError {
                    fatal = "state unusable: \(message)"
                } else if failedDeliveriesInARow >= 10 && deliveries == 0 {
                    fatal = "spool unusable: \(message)"
                }
            }
        }
    }

    /// Validators are stored in batches, after the articles they belong to were delivered: a
    /// crash loses at most a batch, which the next run fetches again (and dedupes).
    private func flushStates() {
        guard !pendingStates.isEmpty else { return }
        do {
            try context.store.saveURLStates(pendingStates)
        } catch {
            context.runLog.record(.error(url: nil, kind: .stateError, message: "cannot save URL state: \(error)"))
            if fatal == nil { fatal = "state unusable: \(error)" }
        }
        pendingStates.removeAll(keepingCapacity: true)
    }

    private func end() -> (outcome: RunOutcome, message: String?) {
        if interrupted {
            let left = frontier.count + waitingCount
            return (outcome: .interrupted,
                              message: "interrupted; \(left) queued URL\(left == 1 ? "" : "s") left for the next run")
        }
        if let fatal { return (outcome: .failed, message: fatal) }
        if seedsAnswered == 0, let first = seedFailures.first {
            let total = definition.start.count + definition.feeds.count + definition.sitemaps.count
            return (outcome: .failed,
                              message: "none of the crawl's \(total) start pages, feeds and sitemaps could be fetched (\(first))")
        }
        if deliveries == 0, let firstDeliveryFailure {
            return (outcome: .failed, message: "no article could be delivered: \(firstDeliveryFailure)")
        }
        return (outcome: .ok, message: limitReached)
    }
}
