/// A value computed on first use, for the visible-page fall-backs most pages never need.
final class Lazy<Value> {
    private var cached: Value?
    private let make: () -> Value
    init(_ make: @escaping () -> Value) { self.make = make }
    var value: Value {
        if let cached { return cached }
        let v = make()
        cached = v
        return v
    }
}
