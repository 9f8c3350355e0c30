/// "Did you mean 'run'?": the known word closest to a mistyped one. Only on
/// the error path, so its cost never reaches a command that works.
enum Suggestion {
    /// The candidate closest to `word` by edit distance (a swap of two
    /// neighbours counts as one edit: `rnu` is one from `run`), when it is at
    /// most 2 edits away, less than half the word, and no other is as close;
    /// otherwise nil (a guess between two is no help).
    static func closest(to word: String, among candidates: [String]) -> String? {
        var best: String?
        var bestDistance = Int.max
        var tied = false
        for candidate in candidates {
            let distance = editDistance(Array(word.unicodeScalars), Array(candidate.unicodeScalars))
            if distance < bestDistance {
                best = candidate
                bestDistance = distance
                tied = false
            } else if distance == bestDistance, candidate != best {
                tied = true
            }
        }
        guard let best, !tied, bestDistance > 0, bestDistance <= 2,
            bestDistance * 2 < max(word.unicodeScalars.count, best.unicodeScalars.count)
        else { return nil }
        return best
    }

    /// `; did you mean 'run'?`, or "" when no candidate is close enough.
    static func hint(_ word: String, among candidates: [String]) -> String {
        closest(to: word, among: candidates).map { "; did you mean '\($0)'?" } ?? ""
    }

    /// Damerau–Levenshtein distance, optimal string alignment form: insertions,
    /// deletions, substitutions and swaps of adjacent characters, one each.
    static func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        let width = b.count + 1
        var rows = [Int](repeating: 0, count: (a.count + 1) * width)
        for j in 0...b.count { rows[j] = j }
        for i in 1...a.count {
            rows[i * width] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(
                    rows[(i - 1) * width + j] + 1, rows[i * width + j - 1] + 1, rows[(i - 1) * width + j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    value = min(value, rows[(i - 2) * width + j - 2] + 1)
                }
                rows[i * width + j] = value
            }
        }
        return rows[a.count * width + b.count]
    }
}
