import HeraldFormats
import Yams

/// How long the state remembers what it needs for dedupe and conditional requests
/// (`state_retention` in herald.yaml); the run history follows `log_retention`. A nil window
/// (`forever`) never forgets.
public struct StateRetention: Sendable, Hashable, CustomStringConvertible {
    /// Content hashes of delivered articles: an article seen again inside this window is a
    /// duplicate; after it, it would be delivered again. Default 365 days.
    public var delivered: Duration?
    /// ETag / Last-Modified of fetched URLs: older ones are forgotten and the page is fetched
    /// whole next time. Default 90 days.
    public var urlValidators: Duration?

    public static let standard = StateRetention(delivered: .seconds(365 * 86_400), urlValidators: .seconds(90 * 86_400))

    public init(delivered: Duration?, urlValidators: Duration?) {
        self.delivered = delivered
        self.urlValidators = urlValidators
    }

    public var description: String {
        func show(_ d: Duration?) -> String { d.map(DurationSyntax.format) ?? "forever" }
        return "delivered \(show(delivered)), url_validators \(show(urlValidators))"
    }
}

extension YAMLFile {
    /// Reads the `state_retention` mapping (`delivered`, `url_validators`: a duration or
    /// `forever`) over `retention`'s values.
    mutating func stateRetention(_ node: Node, over retention: StateRetention) -> StateRetention {
        var result = retention
        guard let keys = mapping(node, path: "state_retention", known: ["delivered", "url_validators"]) else { return result }
        func window(_ key: String) -> Duration?? {
            guard let value = keys[key], let text = string(value, keys.name(key)) else { return nil }
            if text == "forever" { return .some(nil) }
            guard let d = duration(value, keys.name(key), allowZero: false) else { return nil }
            return .some(d)
        }
        if let d = window("delivered") { result.delivered = d }
        if let d = window("url_validators") { result.urlValidators = d }
        return result
    }
}
