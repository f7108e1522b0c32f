package io.timberdb.ingest.push;

/**
 * A request path such as {@code resourceLogs[0].scopeLogs[1].logRecords[3].body}, made into text
 * only when {@link #toString} asks for it: a decoder names every field it reads, for the error
 * that reading it might raise, and nearly always none is raised. Each step is a node that points
 * at its parent: a field ({@code .name}) or an element of a repeated field ({@code .name[i]}).
 *
 * <p>Immutable but for the text it keeps once made; thread-safe in the way of
 * {@link String#hashCode} (two threads may both make it).
 */
public final class FieldPath {

    private final FieldPath parent;
    private final String name;
    /** The element's index, or -1 for a field. */
    private final int index;
    private String text;

    private FieldPath(FieldPath parent, String name, int index) {
        this.parent = parent;
        this.name = name;
        this.index = index;
    }

    /** The path of element {@code index} of the top-level repeated field {@code name}: {@code name[index]}. */
    public static FieldPath element(String name, int index) {
        return new FieldPath(null, name, index);
    }

    /** The path of this message's field {@code name}: {@code this.name}. */
    public FieldPath field(String name) {
        return new FieldPath(this, name, -1);
    }

    /** The path of element {@code index} of this message's repeated field {@code name}: {@code this.name[index]}. */
    public FieldPath at(String name, int index) {
        return new FieldPath(this, name, index);
    }

    @Override
    public String toString() {
        if (text == null) {
            // the parent keeps its text: the records of one message share their parents' paths
            StringBuilder out = new StringBuilder();
            if (parent != null) {
                out.append(parent.toString()).append('.');
            }
            out.append(name);
            if (index >= 0) {
                out.append('[').append(index).append(']');
            }
            text = out.toString();
        }
        return text;
    }
}
