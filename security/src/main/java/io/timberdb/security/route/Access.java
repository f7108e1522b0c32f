package io.timberdb.security.route;

import java.util.Set;

/**
 * Who may call a route.
 *
 * @param kind open, internal, or scoped
 * @param scopes for a scoped route, the scopes of which a token needs at least one
 */
public record Access(Kind kind, Set<String> scopes) {

    /** Health and metrics: no token needed, and none looked at. */
    public static final Access OPEN = new Access(Kind.OPEN, Set.of());
    /** Service-to-service routes: outside user authentication until part 2 of TDB-07. */
    public static final Access INTERNAL = new Access(Kind.INTERNAL, Set.of());

    /** The kinds of access. */
    public enum Kind { OPEN, INTERNAL, SCOPED }

    /** A route that needs a valid token carrying at least one of {@code scopes}. */
    public static Access anyOf(String... scopes) {
        return new Access(Kind.SCOPED, Set.of(scopes));
    }
}
