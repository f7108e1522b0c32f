package io.timberdb.model.query;

/** The comparison operators. Text fields take only {@link #EQ} and {@link #NE}; time takes all. */
public enum CompareOp {
    EQ("="), NE("!="), LT("<"), LE("<="), GT(">"), GE(">=");

    private final String symbol;

    CompareOp(String symbol) {
        this.symbol = symbol;
    }

    /** The canonical spelling ({@code <>} is read as {@code !=}). */
    public String symbol() {
        return symbol;
    }

    /** Whether the outcome {@code cmp} of {@code left.compareTo(right)} satisfies {@code left <op> right}. */
    public boolean test(int cmp) {
        return switch (this) {
            case EQ -> cmp == 0;
            case NE -> cmp != 0;
            case LT -> cmp < 0;
            case LE -> cmp <= 0;
            case GT -> cmp > 0;
            case GE -> cmp >= 0;
        };
    }
}
