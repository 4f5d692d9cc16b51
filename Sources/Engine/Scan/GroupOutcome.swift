/// One page group's result: its kept rows, or `skipped` when its statistics excluded it unread.
enum GroupOutcome: Sendable {
    case rows(RecordBatch)
    case skipped
}
