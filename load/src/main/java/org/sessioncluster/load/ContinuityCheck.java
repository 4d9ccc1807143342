package org.sessioncluster.load;

/**
 * Classifies an answer against what the user expects of their own session. The user is the only writer
 * of their session, so after each write the expected version is known exactly:
 * <ul>
 *   <li>the user or the session is gone → {@link Outcome#SESSION_MISS};</li>
 *   <li>the session is there but its version (or cart) is behind the user's last write → {@link Outcome#STALE};</li>
 *   <li>otherwise {@link Outcome#OK}.</li>
 * </ul>
 */
final class ContinuityCheck {
    private ContinuityCheck() {}

    /**
     * @param expectedUser    the logged-in user
     * @param expectedVersion the version the answer must carry (the last one + 1 for a write)
     * @param expectedCart    the cart size the answer must show
     */
    static Outcome classify(Reply reply, String expectedUser, long expectedVersion, int expectedCart) {
        if (!reply.answered()) {
            return Outcome.ERROR;
        }
        if (!expectedUser.equals(reply.text("user"))) {
            return Outcome.SESSION_MISS;
        }
        long version = reply.number("version");
        if (version < expectedVersion || reply.cartSize() < expectedCart) {
            return Outcome.STALE;
        }
        return Outcome.OK;
    }
}
